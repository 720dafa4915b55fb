"""The analyst's loop in the running app, driven in chromium as an analyst would drive it.

Paste a report, upload files, open a report from a map feature, reject an event, correct a
place, add an alias and read the reports again; the audit log holds each edit. The app runs on
a copy of the sample store (``loop_app``), so these writes touch no other test.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from app_driver import _click_a_point, _count, _drawn_ids, _map, _wait_idle
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.ingest import article_id
from geo.store import open_store

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Our own report; «وادي الحياة» is a real valley of the Fezzan and Ubari and Sabha are in the gazetteer.
PASTED = ("أفاد مصدر عسكري في الجنوب الليبي بأن رتلا من عشرين آلية تحرك يوم الثلاثاء من أوباري "
          "نحو سبها، وأن قوة أخرى تمركزت في وادي الحياة لتأمين الطريق.")


def _go(page: Page, title: str) -> None:
    """Open a page from the sidebar's navigation (the session, and the name typed, stay)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    _wait_idle(page)


def _start(page: Page, url: str, *, name: str = "Amal") -> None:
    page.goto(url)
    _wait_idle(page)
    box = page.get_by_label("Your name (for the audit log)")
    box.fill(name)
    box.press("Enter")
    _wait_idle(page)


def _type(box, text: str) -> None:
    """Type into a text box and commit it with Enter, once the app has settled."""
    page = box.page
    for _ in range(3):   # a rerun that was already on its way can reset a box typed into too early
        box.fill(text)
        box.press("Enter")
        _wait_idle(page)
        if box.input_value() == text:
            return
    raise AssertionError(f"the box kept no value: {text!r}")


def _pick(page: Page, combobox, text: str) -> None:
    """Choose the option holding ``text`` (its list follows the search typed just before)."""
    for _ in range(5):
        combobox.click()
        option = page.get_by_role("option").filter(has_text=text).first
        try:
            option.wait_for(timeout=3_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")   # the search's rerun had not reached the list yet
            _wait_idle(page)
            continue
        option.click()
        _wait_idle(page)
        return
    raise AssertionError(f"no option {text!r} in the list")


def _select_by_click(page: Page) -> str:
    """Click a point feature; the event the app selected (the link's event=), which is the one
    drawn on top where the point is."""
    _click_a_point(page)
    expect(page).to_have_url(re.compile(r"[?&]event=[0-9a-f]+"))
    _wait_idle(page)
    return parse_qs(urlsplit(page.url).query)["event"][0]


def _store(store_path):
    return open_store(store_path)


def test_a_pasted_report_is_on_the_map_at_once(page, loop_app):
    url, store_path = loop_app
    _start(page, url)
    before = _count(page)
    _go(page, "Add reports")
    page.get_by_label("Report text (Arabic)").fill(PASTED)
    page.get_by_role("textbox", name="Outlet").fill("موقع تجريبي")
    page.get_by_role("button", name="Add the report").click()
    _wait_idle(page)
    expect(page.get_by_text("Added:")).to_be_visible()
    store = _store(store_path)
    new = store.read(article_ids=[article_id(PASTED)])
    store.close()
    assert len(new) >= 2
    assert _count(page) == before + len(new)
    _go(page, "Map")
    drawn = _drawn_ids(page, before + len(new))
    assert set(new["id"]) <= set(drawn)


ARABIC_CP1256 = "ذكر شهود أن شاحنات محملة بالوقود عبرت نحو أم الأرانب ليلة السبت."
ARABIC_UTF16 = "قال مسؤول محلي إن دورية انتشرت عند مدخل براك الشاطئ صباح الإثنين."


def test_five_files_uploaded_four_added_one_refused_with_its_reason(page, loop_app, tmp_path):
    url, _ = loop_app
    _start(page, url)
    files = {
        "report-a.txt": "قالت مصادر محلية إن مسلحين هاجموا نقطة تفتيش قرب مرزق فجر الأحد.".encode(),
        "report-b.json": json.dumps({"text": "أعلن الجيش أن قوة تابعة له انتشرت في محيط غات يوم الخميس.",
                                     "outlet": "موقع تجريبي", "published": "2025-02-06"},
                                    ensure_ascii=False).encode(),
        "photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        # the encodings Arabic sites and Windows editors still write
        "report-c.txt": ARABIC_CP1256.encode("cp1256"),
        "report-d.txt": ARABIC_UTF16.encode("utf-16"),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    _go(page, "Add reports")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(paths)
    page.get_by_role("button", name="Add 5 files").click()
    _wait_idle(page)
    expect(page.get_by_text("4 reports added")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("1 file refused")).to_be_visible()
    texts = set(_store(loop_app[1]).articles(with_text=True)["text"])
    assert ARABIC_CP1256 in texts and ARABIC_UTF16 in texts   # decoded, not mojibake


def test_a_report_opened_from_a_map_feature_shows_its_events_highlighted(page, loop_app):
    url, _ = loop_app
    _start(page, url)
    _map(page)
    event_id = _select_by_click(page)
    page.get_by_role("button", name="Read the report").click()
    expect(page.get_by_role("heading", name="Report", exact=True)).to_be_visible()
    _wait_idle(page)
    text = page.locator(".marsad-report[dir=rtl]").last
    expect(text).to_be_visible()
    expect(text.locator(f'span.m-claim.m-selected[data-event="{event_id}"]').first).to_be_visible()
    assert text.locator("mark.m-place").count() > 0
    assert page.locator('[class*="st-key-event_card_"]').count() >= 1
    # the Arabic of each card reads from the right
    aligned = page.locator('[class*="st-key-rtl_card_"] p').evaluate_all(
        "ps => ps.map(p => getComputedStyle(p).direction + ' ' + getComputedStyle(p).textAlign)")
    assert aligned and set(aligned) == {"rtl right"}
    # The README's picture of the report view (scripts/refresh_screenshot.sh copies it to docs/).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))


def _review_clicked_event(page: Page) -> str:
    _map(page)
    event_id = _select_by_click(page)
    page.get_by_role("button", name="Review this event").click()
    expect(page.get_by_role("button", name="Save the correction")).to_be_visible()
    _wait_idle(page)
    return event_id


def test_a_rejected_event_leaves_the_map_and_the_count(page, loop_app):
    url, store_path = loop_app
    _start(page, url)
    before = _count(page)
    event_id = _review_clicked_event(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"))   # the queue and the event under review
    page.get_by_label("Note for a confirm or reject").fill("the claim is a rumour")
    page.get_by_role("button", name="Reject").click()
    _wait_idle(page)
    expect(page.get_by_text("Saved: review.")).to_be_visible()
    assert _count(page) == before - 1
    _go(page, "Map")
    assert event_id not in _drawn_ids(page, before - 1)
    store = _store(store_path)
    log = store.audit(target_id=event_id)
    store.close()
    assert list(zip(log["field"], log["old_value"], log["new_value"], log["who"])) == \
        [("review", "auto", "rejected", "Amal")]


def test_a_place_corrected_moves_the_feature(page, loop_app):
    url, store_path = loop_app
    store = _store(store_path)
    attacks = store.read(event_types=["attack"])
    old = attacks[~attacks["places"].str.contains("الكفرة") & (attacks.geom_type == "Point")].iloc[0]
    store.close()
    event_id = old["id"]
    _start(page, f"{url}/review?event={event_id}")     # a link to one event's review
    _map(page)                       # the small map's first value has come back: no rerun pending
    _wait_idle(page)
    _type(page.get_by_label("Search the gazetteer").first, "Kufra")
    _pick(page, page.get_by_role("combobox", name="Place", exact=True).first, "الكفرة")
    page.get_by_role("button", name="Save the correction").click()
    _wait_idle(page)
    expect(page.get_by_text("Saved:")).to_be_visible()
    store = _store(store_path)
    new = store.read(ids=[event_id]).iloc[0]
    log = store.audit(target_id=event_id)
    store.close()
    assert "الكفرة" in new["places"] and new.geometry.distance(old.geometry) > 1
    assert abs(new.geometry.centroid.y - 24.2) < 0.5 and abs(new.geometry.centroid.x - 23.3) < 0.5
    assert {"places", "geometry"} & set(log["field"]) and "places" in set(log["field"])
    # on the map, the feature is drawn at its new place
    _go(page, "Map")
    frame = _map(page)
    lat = frame.evaluate("""(id) => { let out = null; window.map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && String(p.id) === id && l._marsadIndex !== undefined)
            out = (l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()).lat; });
        return out; }""", event_id)
    assert lat is not None and abs(lat - 24.2) < 0.5


def test_an_alias_added_and_a_re_read_give_a_new_mention(page, loop_app):
    url, store_path = loop_app
    _start(page, url)
    _go(page, "Add reports")
    text = "قال شهود إن دورية عسكرية وصلت إلى سبها الجديدة مساء الجمعة قادمة من براك."
    page.get_by_label("Report text (Arabic)").fill(text)
    page.get_by_role("button", name="Add the report").click()
    _wait_idle(page)
    expect(page.get_by_text("Added:")).to_be_visible()
    store = _store(store_path)
    surfaces = set(store.mentions(article_id(text))["surface"])
    store.close()
    assert "سبها" in surfaces and "سبها الجديدة" not in surfaces
    _go(page, "Gazetteer")
    page.get_by_label("Search a place (Arabic or Latin)").fill("سبها")
    page.get_by_label("Search a place (Arabic or Latin)").press("Enter")
    _wait_idle(page)
    page.get_by_label("Add another name for", exact=False).fill("سبها الجديدة")
    page.get_by_role("button", name="Add the alias").click()
    _wait_idle(page)
    expect(page.get_by_text("Alias «سبها الجديدة» added")).to_be_visible()
    page.get_by_role("button", name="Re-read the reports that mention it").click()
    _wait_idle(page)
    expect(page.get_by_text("reports read again")).to_be_visible(timeout=60_000)
    store = _store(store_path)
    surfaces = set(store.mentions(article_id(text))["surface"])
    aliases = {p["place_id"]: p["aliases"] for p in store.user_places()}
    store.close()
    assert "سبها الجديدة" in surfaces
    assert any("سبها الجديدة" in a for a in aliases.values())


def test_the_audit_log_lists_every_edit_with_before_and_after(page, loop_app):
    url, store_path = loop_app
    _start(page, url, name="Omar")
    store = _store(store_path)
    edits = len(store.audit())
    store.close()
    _go(page, "Review")
    button = page.get_by_role("button", name="Download the audit log (CSV)")
    for _ in range(3):   # a rerun that replaces the button under the click loses the download
        _wait_idle(page)
        if not button.is_visible():
            page.get_by_text("Audit log:").click()
        try:
            with page.expect_download(timeout=10_000) as download:
                button.click()
            break
        except PlaywrightTimeout:
            continue
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert len(rows) == edits
    assert all({"who", "field", "old_value", "new_value", "at"} <= set(r) for r in rows)
    fields = {r["field"] for r in rows}
    # the other tests of this module rejected an event, moved a place and added an alias
    assert {"review", "places", "aliases"} <= fields
