"""Ingestion: reading every file type, skipping bad input, the summary and the CLI.

Most tests replace ``geo.ingest.analyse`` with a stub (one event per article) so
they test ingestion itself; the end-to-end tests at the bottom run the real
geoparser and event extraction on the seed report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from geo import ingest
from geo.errors import InputError
from geo.models import Attribution, Event, to_point
from geo.text.normalize import normalize
from geo.store import GeoPackageStore

REPO = Path(__file__).resolve().parents[2]
SMALL_GAZETTEER = REPO / "tests" / "fixtures" / "gazetteer_small.geojson"
SEED = REPO.parent / "shared" / "seeds" / "000_d5b969f8fb028db7.txt"

TEXT_A = "قال مصدر محلي إن رتلاً مسلحاً تحرك من سبها نحو أوباري فجر اليوم."
TEXT_B = "أفاد سكان بأن دورية عسكرية شوهدت قرب بني وليد مساء أمس."
TEXT_C = "ذكرت مصادر أن شحنة وقود مهربة ضبطت جنوب الكفرة."


def _stub_analyse(article, *, gazetteer=None):
    event = Event(id=f"{article.id[:16]}-0", article_id=article.id, type="presence",
                  geometry=to_point(31.75, 13.99), geo_precision=1, event_date=article.published,
                  date_precision="reported", attribution=Attribution(publisher=article.outlet),
                  quote=article.text[:5], quote_start=0, quote_end=5)
    return [], [event]


@pytest.fixture
def stub_pipeline(monkeypatch):
    """Ingestion with a stand-in analysis: one event per article, no mentions."""
    monkeypatch.setattr(ingest, "analyse", _stub_analyse)


@pytest.fixture
def store(tmp_path):
    with GeoPackageStore(tmp_path / "ingest.gpkg") as s:
        yield s


def _run(paths, store, **options):
    return ingest.ingest_paths([str(p) for p in paths], store=store, progress=False,
                               gazetteer=object(), **options)


# --------------------------------------------------------------------------- articles

def test_article_id_is_the_sha256_of_the_normalized_text():
    assert ingest.article_id(TEXT_A) == hashlib.sha256(normalize(TEXT_A).encode()).hexdigest()


def test_article_id_ignores_spelling_variants_normalization_folds():
    assert ingest.article_id("أوباري  قرب  سبها") == ingest.article_id("اوباري قرب سبها")


def test_make_article_takes_its_title_from_the_first_line():
    article = ingest.make_article("\n  عنوان الخبر  \n" + TEXT_A)
    assert article.title == "عنوان الخبر"
    assert article.ingested_at.tzinfo is not None


@pytest.mark.parametrize("text", ["", "   \n ", "ـــ"], ids=["empty", "blank", "tatweel-only"])
def test_make_article_refuses_empty_text(text):
    with pytest.raises(InputError):
        ingest.make_article(text)


# --------------------------------------------------------------------------- file types

def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


HTML_PAGE = f"""<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>دورية قرب بني وليد | موقع تجريبي</title>
<meta property="og:site_name" content="موقع تجريبي">
<meta property="article:published_time" content="2024-04-02">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a> <a href="/sport">رياضة</a></nav>
<article><h1>دورية قرب بني وليد</h1>
<p>{TEXT_B}</p>
<p>وأضاف السكان أن الدورية كانت تتألف من عدة سيارات رباعية الدفع وتوجهت بعد ذلك نحو الطريق الرئيسي.</p>
</article>
<footer>جميع الحقوق محفوظة للموقع التجريبي. سياسة الخصوصية. اتصل بنا.</footer>
</body></html>"""


def test_txt_file(tmp_path, store, stub_pipeline):
    path = _write(tmp_path / "a.txt", "عنوان\n" + TEXT_A)
    summary = _run([path], store, outlet="الوسط", url="https://example.org/a", published="2024-03-05")
    assert (summary.files_read, summary.articles_new, summary.events_written) == (1, 1, 1)
    row = store.articles(with_text=True).iloc[0]
    assert row["text"] == "عنوان\n" + TEXT_A
    assert (row["title"], row["outlet"], row["url"]) == ("عنوان", "الوسط", "https://example.org/a")
    assert row["published"].date() == dt.date(2024, 3, 5)


def test_html_file_keeps_the_main_text_and_the_metadata(tmp_path, store, stub_pipeline):
    path = _write(tmp_path / "page.html", HTML_PAGE)
    summary = _run([path], store)
    assert summary.articles_new == 1
    row = store.articles(with_text=True).iloc[0]
    assert TEXT_B in row["text"]
    assert "الرئيسية" not in row["text"] and "الخصوصية" not in row["text"]   # menu and footer gone
    assert row["title"].startswith("دورية قرب بني وليد")
    assert row["published"].date() == dt.date(2024, 4, 2)
    assert row["outlet"] == "موقع تجريبي"


def test_html_in_windows_1256_is_read_by_its_declared_charset(tmp_path, store, stub_pipeline):
    page = HTML_PAGE.replace('charset="utf-8"', 'charset="windows-1256"')
    path = _write(tmp_path / "old.htm", page.encode("cp1256"))
    summary = _run([path], store)
    assert summary.articles_new == 1
    assert TEXT_B in store.articles(with_text=True).iloc[0]["text"]


def test_command_line_values_override_page_metadata(tmp_path, store, stub_pipeline):
    path = _write(tmp_path / "page.html", HTML_PAGE)
    _run([path], store, outlet="الوسط", published=dt.date(2024, 4, 3))
    row = store.articles().iloc[0]
    assert (row["outlet"], row["published"].date()) == ("الوسط", dt.date(2024, 4, 3))


def test_json_object_and_list(tmp_path, store, stub_pipeline):
    one = _write(tmp_path / "one.json", json.dumps(
        {"text": TEXT_A, "title": "خبر أ", "outlet": "الوسط", "url": "https://example.org/a",
         "published": "2024-01-02"}, ensure_ascii=False))
    many = _write(tmp_path / "many.json", json.dumps(
        [{"text": TEXT_B}, {"text": TEXT_C, "outlet": "بوابة الوسط"}], ensure_ascii=False))
    summary = _run([one, many], store, outlet="ليبيا الأحرار")
    assert (summary.files_read, summary.articles_new) == (2, 3)
    frame = store.articles().set_index("title")
    assert frame.loc["خبر أ", "outlet"] == "الوسط"                 # the record's own outlet wins
    assert frame["outlet"].tolist() == ["الوسط", "ليبيا الأحرار", "بوابة الوسط"]   # the flag fills gaps
    assert frame.loc["خبر أ", "published"].date() == dt.date(2024, 1, 2)


def test_jsonl_with_a_bad_line_keeps_the_others(tmp_path, store, stub_pipeline):
    lines = [json.dumps({"text": TEXT_A}, ensure_ascii=False), "{not json", "",
             json.dumps({"title": "بلا نص"}, ensure_ascii=False),
             json.dumps({"text": TEXT_B, "published": "2 April"}, ensure_ascii=False),
             json.dumps({"text": TEXT_C}, ensure_ascii=False)]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    summary = _run([path], store)
    assert (summary.files_read, summary.articles_new) == (1, 2)
    assert [(s.source, s.reason.split(":")[0]) for s in summary.skipped] == [
        (f"{path}:2", "bad JSON line"),
        (f"{path}:4", "missing or empty 'text'"),
        (f"{path}:5", "'published' must be YYYY-MM-DD, got '2 April'"),
    ]


def test_a_first_line_opening_on_a_nul_is_that_lines_problem_not_utf16(tmp_path, store, stub_pipeline):
    # A corrupt first record is skipped; the good lines after it are UTF-8 and go in.
    good = json.dumps({"text": TEXT_A}, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\x00{\n" + good + b"\n")
    summary = _run([path], store)
    assert summary.articles_new == 1
    assert [s.source for s in summary.skipped] == [f"{path}:1"]


def test_utf16_json_lines_without_a_bom_are_still_read(tmp_path, store, stub_pipeline):
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in (TEXT_A, TEXT_B))
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"feed-{codec}.jsonl"
        path.write_bytes(lines.encode(codec))
        summary = _run([path], store)
        assert summary.skipped == () and summary.articles_read == 2, codec


def test_a_folder_is_searched_for_known_files(tmp_path, store, stub_pipeline):
    _write(tmp_path / "in" / "a.txt", TEXT_A)
    _write(tmp_path / "in" / "sub" / "b.txt", TEXT_B)
    _write(tmp_path / "in" / "notes.md", TEXT_C)
    summary = _run([tmp_path / "in"], store)
    assert (summary.files_read, summary.articles_new, summary.skipped) == (2, 2, ())


BAD_FILES = [
    ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", "binary"),
    ("greek.txt", "Ελληνικά κείμενα εδώ και εκεί, πολλά λόγια.".encode("iso8859_7") * 5,
     "not UTF-8 (byte 0xc5 at offset 0), nor UTF-16, Windows-1256 or ISO-8859-6", "no-known-encoding"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "bad JSON: nested too deep", "deep-json"),
    ("bad.json", '{"text": "x",', "bad JSON", "bad-json"),
    ("empty.txt", "  \n", "empty text", "empty-text"),
    ("notext.json", '{"title": "t"}', "missing or empty 'text'", "json-without-text"),
    ("script.html", "<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>",
     "no main text", "html-without-text"),
    ("data.csv", "a,b\n1,2\n", "unsupported file type '.csv'", "unsupported-suffix"),
]


@pytest.mark.parametrize("name, content, reason", [c[:3] for c in BAD_FILES], ids=[c[3] for c in BAD_FILES])
def test_a_bad_file_is_reported_and_the_rest_go_in(tmp_path, store, stub_pipeline, name, content, reason):
    good = _write(tmp_path / "good.txt", TEXT_A)
    bad = _write(tmp_path / name, content)
    summary = _run([bad, good], store)
    assert summary.articles_new == 1
    assert len(summary.skipped) == 1
    assert summary.skipped[0].source.startswith(str(bad))
    assert reason in summary.skipped[0].reason


def test_a_missing_path_is_reported(tmp_path, store, stub_pipeline):
    summary = _run([tmp_path / "nowhere.txt"], store)
    assert summary.skipped[0].reason == "no such file or folder"
    assert summary.files_read == 0


def test_a_failing_analysis_skips_that_article_only(tmp_path, store, monkeypatch):
    def analyse(article, *, gazetteer=None):
        if "أوباري" in article.text:
            raise RuntimeError("boom")
        return _stub_analyse(article)

    monkeypatch.setattr(ingest, "analyse", analyse)
    summary = _run([_write(tmp_path / "a.txt", TEXT_A), _write(tmp_path / "b.txt", TEXT_B)], store)
    assert summary.articles_new == 1
    assert summary.skipped[0].reason == "analysis failed: RuntimeError: boom"


def test_ingesting_the_same_text_again_is_a_no_op(tmp_path, store, stub_pipeline):
    path = _write(tmp_path / "a.txt", TEXT_A)
    first = _run([path], store)
    # the same text with other whitespace and alef spelling normalizes to the same id
    again = _write(tmp_path / "again.txt", TEXT_A.replace(" ", "  ").replace("أوباري", "اوباري"))
    second = _run([path, again], store)
    assert (first.articles_new, second.articles_new, second.articles_existing) == (1, 0, 2)
    assert store.stats().events == 1


def test_a_text_twice_in_one_batch_is_analysed_and_stored_once(tmp_path, store, monkeypatch):
    analysed = []

    def analyse(article, *, gazetteer=None):
        analysed.append(article.id)
        return _stub_analyse(article)

    monkeypatch.setattr(ingest, "analyse", analyse)
    texts = [TEXT_A, TEXT_B, TEXT_A.replace(" ", "  "), TEXT_C]
    path = _write(tmp_path / "feed.jsonl", "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n"
                                                   for t in texts))
    summary = _run([path], store)
    assert (summary.articles_new, summary.articles_existing) == (3, 1)
    assert len(analysed) == len(set(analysed)) == 3
    assert len(store.articles()) == 3


def test_a_run_longer_than_one_batch_stores_every_article(tmp_path, store, stub_pipeline):
    n = 2 * ingest._BATCH + 3
    path = _write(tmp_path / "feed.jsonl", "".join(
        json.dumps({"text": f"{TEXT_A} {k}"}, ensure_ascii=False) + "\n" for k in range(n)))
    summary = _run([path], store)
    assert summary.articles_new == n == len(store.articles())
    assert summary.events_written == store.stats().events


def test_a_bad_published_option_is_an_input_error(tmp_path, store):
    with pytest.raises(InputError, match="'05/03/2024'"):
        _run([tmp_path], store, published="05/03/2024")


def test_summary_render_lists_the_skipped():
    summary = ingest.IngestSummary(files_read=2, articles_new=1, articles_existing=1, events_written=3,
                                   skipped=(ingest.Skipped("x.bin", "binary file, not text"),))
    assert summary.render().splitlines() == [
        "files read: 2", "articles: 1 new, 1 already stored", "places found: 0",
        "events written: 3", "skipped: 1", "  x.bin: binary file, not text"]


# --------------------------------------------------------------------------- CLI

@pytest.mark.parametrize("flag, env, expected", [
    ("a.gpkg", {"MARSAD_DB": "b.gpkg"}, "a.gpkg"),
    (None, {"MARSAD_DB": "b.gpkg"}, "b.gpkg"),
    (None, {}, str(Path("var") / "marsad.gpkg")),
], ids=["flag-beats-env", "env-beats-default", "default"])
def test_resolve_db(flag, env, expected):
    assert ingest.resolve_db(flag, env) == expected


def test_cli_ingests_and_prints_a_summary(tmp_path, stub_pipeline, capsys, monkeypatch):
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "from-env.gpkg"))
    db = tmp_path / "cli.gpkg"
    files = [_write(tmp_path / "a.txt", TEXT_A), _write(tmp_path / "b.bin.txt", b"\x00\x01"),
             _write(tmp_path / "c.json", json.dumps({"text": TEXT_C}, ensure_ascii=False))]
    code = ingest.main([*map(str, files), "--db", str(db), "--outlet", "الوسط",
                        "--gazetteer", str(SMALL_GAZETTEER)])
    out, err = capsys.readouterr()
    assert code == 3   # some skipped, the rest stored
    assert "articles: 2 new, 0 already stored" in out
    assert "events written: 2" in out
    assert f"{tmp_path / 'b.bin.txt'}: binary file, not text" in out
    total = sum(f.stat().st_size for f in files)
    assert f"{total}/{total}" in err                      # the progress bar, by bytes, on stderr
    assert not (tmp_path / "from-env.gpkg").exists()      # --db beat MARSAD_DB
    with GeoPackageStore(db) as s:
        assert s.articles()["outlet"].tolist() == ["الوسط", "الوسط"]


def test_cli_uses_marsad_db_when_no_flag(tmp_path, stub_pipeline, capsys, monkeypatch):
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.gpkg"))
    code = ingest.main([str(_write(tmp_path / "a.txt", TEXT_A)), "--no-progress",
                        "--gazetteer", str(SMALL_GAZETTEER)])
    assert code == 0
    assert capsys.readouterr().err == ""
    with GeoPackageStore(tmp_path / "env.gpkg") as s:
        assert s.stats().articles == 1


def test_cli_exits_non_zero_when_nothing_could_be_read(tmp_path, stub_pipeline, capsys):
    bad = _write(tmp_path / "bad.txt", b"\x00\x01\x02\xff")
    code = ingest.main([str(bad), "--db", str(tmp_path / "x.gpkg"), "--no-progress",
                        "--gazetteer", str(SMALL_GAZETTEER)])
    assert code == 1
    assert "binary file" in capsys.readouterr().out


def test_cli_exits_zero_when_everything_was_already_stored(tmp_path, stub_pipeline, capsys):
    path = _write(tmp_path / "a.txt", TEXT_A)
    args = [str(path), "--db", str(tmp_path / "x.gpkg"), "--no-progress", "--gazetteer", str(SMALL_GAZETTEER)]
    assert ingest.main(args) == 0
    assert ingest.main(args) == 0
    assert "articles: 0 new, 1 already stored" in capsys.readouterr().out


def test_cli_rejects_a_bad_date(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        ingest.main([str(tmp_path), "--published", "2024-13-01"])
    assert info.value.code == 2
    assert "expected YYYY-MM-DD, got '2024-13-01'" in capsys.readouterr().err


# --------------------------------------------------------------------------- the real pipeline

@pytest.fixture(scope="module")
def seed_text():
    if not SEED.is_file():
        pytest.fail(f"the seed report is missing at {SEED}")
    return SEED.read_text(encoding="utf-8")


def test_the_seed_report_goes_in_end_to_end(tmp_path, seed_text):
    from geo.places.gazetteer import load_gazetteer
    path = _write(tmp_path / "seed.txt", seed_text)
    with GeoPackageStore(tmp_path / "seed.gpkg") as s:
        summary = ingest.ingest_paths([path], store=s, outlet="الوسط", published="2016-09-29",
                                      progress=False, gazetteer=load_gazetteer())
        assert (summary.articles_new, summary.skipped) == (1, ())
        assert summary.events_written == s.stats().events > 0
        mentions = s.mentions()
        assert {"سرت", "بني وليد"} <= set(mentions["surface"])
        assert mentions.geometry.notna().all()
        events = s.read()
        assert events["article_id"].unique().tolist() == [ingest.article_id(seed_text)]
        # every quote is the span of the original text it claims to be
        assert all(seed_text[a:b] == q for a, b, q in
                   zip(events["quote_start"], events["quote_end"], events["quote"]))
        # the events south of Bani Walid are found by a circle around the town
        assert len(s.read(near=(31.7566, 13.9942, 100))) > 0
        again = ingest.ingest_paths([path], store=s, progress=False, gazetteer=load_gazetteer())
        assert (again.articles_new, again.articles_existing, again.events_written) == (0, 1, 0)


def test_ingest_article_with_the_default_gazetteer(tmp_path, seed_text):
    with GeoPackageStore(tmp_path / "one.gpkg") as s:
        article = ingest.make_article(seed_text)
        assert ingest.ingest_article(s, article) is True
        assert ingest.ingest_article(s, article) is False
        assert s.has_article(article.id)
