"""Add reports: paste one, or upload files; each goes through the same ingest as the command line."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from geo.analyst import add_text
from geo.errors import GeoError
from geo.analyst import remove_samples, sample_ids
from geo.ingest import SUFFIXES, ingest_paths

MAX_MB = 200   # Streamlit's own upload limit (server.maxUploadSize)


def _paste(ctx: ui.Context) -> None:
    with st.form("paste_report", clear_on_submit=False, border=True):
        text = st.text_area("Report text (Arabic)", height=220, key="arabic_paste_text",
                            placeholder="الصق نص التقرير هنا…")
        left, right = st.columns(2)
        title = left.text_input("Title", key="paste_title", placeholder="the first line when empty")
        outlet = right.text_input("Outlet", key="paste_outlet", placeholder="who published it")
        url = left.text_input("URL", key="paste_url")
        published = right.date_input("Published", value=None, max_value=dt.date.today(),
                                     key="paste_published", format="YYYY-MM-DD")
        submitted = st.form_submit_button("Add the report", icon=":material/add:", type="primary")
    if not submitted:
        return
    if not text.strip():
        st.error("The report is empty: paste its text first.")
        return
    with st.spinner("Reading the report…"):
        try:
            article, new, events = add_text(ctx.store, text, title=title, outlet=outlet, url=url,
                                            published=published, gazetteer=ctx.gazetteer)
        except GeoError as exc:
            st.error(f"The report was not added: {exc}")
            return
    st.session_state["added_article"] = (article.id, new, events)
    st.rerun()   # the sidebar's count and options read the store again


def _added_message() -> None:
    added = st.session_state.get("added_article")
    if not added:
        return
    article_id, new, events = added
    if new:
        st.success(f"Added: {events} events found. They are on the map now.", icon=":material/check:")
    else:
        st.info("This report is already in the store (same text); nothing was added.")
    if st.button("Read it with its events highlighted", icon=":material/article:", key="open_added"):
        ui.open_report(article_id)


def _upload(ctx: ui.Context) -> None:
    files = st.file_uploader(
        f"Or upload files ({', '.join(sorted(SUFFIXES))}; several at once, up to {MAX_MB} MB in all)",
        accept_multiple_files=True, key="upload_files")
    if not files or not st.button(f"Add {len(files)} file{'s' * (len(files) != 1)}", icon=":material/upload:",
                                  type="primary", key="upload_go"):
        return
    bar = st.progress(0.0, text="Starting…")
    rows = []
    with tempfile.TemporaryDirectory(prefix="marsad-upload-") as tmp:
        for done, upload in enumerate(files, 1):
            bar.progress((done - 1) / len(files), text=f"Reading {upload.name} ({done} of {len(files)})")
            # Each file under its own name in a folder of its own: the reasons name the file.
            path = Path(tmp) / str(done) / Path(upload.name).name
            path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            shown = [0.0]

            def moved(read: int, total: int, done=done, name=upload.name, shown=shown) -> None:
                share = read / total if total else 1.0   # within the file, by its bytes
                if share - shown[0] >= 0.01 or share == 1.0:   # a message per percent, not per record
                    shown[0] = share
                    bar.progress((done - 1 + share) / len(files), text=f"Reading {name} ({done} of {len(files)})")

            try:
                summary = ingest_paths([path], store=ctx.store, progress=False,
                                       gazetteer=ctx.gazetteer, on_progress=moved)
            except GeoError as exc:
                rows.append({"file": upload.name, "result": "not read", "added": 0, "already there": 0,
                             "events": 0, "why": str(exc)})
                continue
            reasons = "; ".join([s.reason for s in summary.skipped]
                                + [f"read as {encoding}" for _, encoding in summary.decoded])
            result = ("added" if summary.articles_new else "already there" if summary.articles_existing
                      else "skipped")
            rows.append({"file": upload.name, "result": result, "added": summary.articles_new,
                         "already there": summary.articles_existing, "events": summary.events_written,
                         "why": reasons.replace(str(path), upload.name)})
        bar.progress(1.0, text=f"Done: {len(files)} files")
    st.session_state["upload_report"] = rows
    st.rerun()


def _upload_report() -> None:
    rows = st.session_state.get("upload_report")
    if not rows:
        return
    table = pd.DataFrame(rows)
    added = int(table["added"].sum())
    refused = int((table["result"].isin(["skipped", "not read"])).sum())
    st.markdown(f"**{added} reports added**, {int(table['already there'].sum())} already in the store, "
                f"{refused} file{'s' * (refused != 1)} refused; {int(table['events'].sum())} events found.")
    st.dataframe(table, hide_index=True, width="stretch", key="upload_table",
                 column_config={"why": st.column_config.TextColumn("Why", width="large")})


def _samples(ctx: ui.Context) -> None:
    """The fictional sample reports: how many are in this store, and one action to remove them
    (or to load them into a store that has none)."""
    ids = set(sample_ids(ui.SAMPLES_DIR)) if ui.SAMPLES_DIR.is_dir() else set()
    if not ids:
        return
    present = ids & set(ctx.store.articles()["id"])
    with st.expander(f"Sample reports: {len(present)} of {len(ids)} in this store", icon=":material/science:"):
        st.caption("The samples are fictional reports the Marsad team wrote to show the tool at work; "
                   "they are loaded only into a store created on a first start.")
        if present and ui.may("delete"):
            if not ui.analyst():
                st.info("Type your name in the sidebar first: the audit log records who removed them.")
            elif st.button(f"Remove the {len(present)} sample reports and their events", key="samples_remove",
                           icon=":material/delete:"):
                removed = remove_samples(ctx.store, ui.SAMPLES_DIR, who=ui.analyst())
                st.session_state["samples_message"] = f"Removed {removed} sample reports."
                st.rerun()
        elif not present and ui.may("add") and st.button("Load the sample reports", key="samples_load",
                                                          icon=":material/science:"):
            added = ui.load_samples(ctx.store, first_start=False)
            st.session_state["samples_message"] = f"Loaded {added} sample reports."
            st.rerun()
        if message := st.session_state.pop("samples_message", None):
            st.success(message)


def main() -> None:
    ctx = ui.context()
    ui.refuse_unless("add")
    st.title("Add reports")
    st.caption("Each report is read like the command line reads it: places, events and sources, "
               "stored in one transaction. A report already in the store (same text) is not added twice.")
    _paste(ctx)
    _added_message()
    st.divider()
    _upload(ctx)
    _upload_report()
    st.divider()
    _samples(ctx)


main()
