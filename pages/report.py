"""Report: one article, right to left, its places and claims highlighted, each event as a card."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import ui
from geo.maps.report import REPORT_CSS, Span, legend_html, report_html
from geo.events.count_text import counts_text, parse_counts
from geo.maps.style import modality_label
from geo.text.lexicon import actor_label

ALL_STATES = ["auto", "confirmed", "rejected"]


def _pick_article(ctx: ui.Context) -> pd.Series | None:
    articles = ctx.store.articles()
    if articles.empty:
        st.info("No reports yet: add one on the «Add reports» page.")
        return None
    articles = articles.iloc[::-1].reset_index(drop=True)   # newest first
    wanted = st.query_params.get("article")
    ids = list(articles["id"])
    if wanted and wanted not in ids:
        st.warning("The report in the link is not in this store; pick another.")
    labels = {row.id: " · ".join(str(v) for v in (
        row.title[:90], row.outlet, row.published.date() if pd.notna(row.published) else "")
        if v) for row in articles.itertuples()}
    if wanted in ids and st.session_state.get("report_from_url") != wanted:   # a link or a button
        st.session_state["report_pick"] = st.session_state["report_from_url"] = wanted
    choice = st.selectbox("Report", ids, format_func=labels.get, key="report_pick")
    if choice != wanted:
        st.query_params["article"] = st.session_state["report_from_url"] = choice
    return ctx.store.articles(with_text=True, ids=[choice]).iloc[0]


def _places(raw: str) -> str:
    roles = {"origin": "from", "destination": "to", "via": "via", "location": "at"}
    return " · ".join(f"{roles.get(p.get('role'), p.get('role'))} {p.get('name', '')}"
                      for p in json.loads(raw or "[]"))


def _card(row: pd.Series, i: int) -> None:
    with st.container(border=True, key=f"event_card_{i}"):
        date = row["event_date"].date().isoformat() if pd.notna(row["event_date"]) else "date unknown"
        flag = modality_label(row.get("modality"), row["denied"])
        review = {"rejected": ":red[rejected]", "confirmed": ":green[confirmed]"}.get(row["review"], "not reviewed")
        st.markdown(f"**{ui.plain(row['type'])}**" + (f" ({ui.plain(row['sub_type'])})" if row["sub_type"] else "")
                    + f" · held as *{ui.plain(row['modality'])}*" + (f" · :red[{ui.plain(flag)}]" if flag else "")
                    + f" · {review} · confidence {row['confidence']:.2f}")
        actors = "، ".join(actor_label(a) for a in json.loads(row["actors"] or "[]"))
        with st.container(key=f"rtl_card_{i}"):
            st.markdown(f"{ui.plain(_places(row['places']))}" + (f" — {ui.plain(actors)}" if actors else ""))
            chain = " ← ".join(ui.plain(v) for v in (row["publisher"], row["cited_outlet"],
                                                      row["speaker_role"], row["speaker"]) if v)
            st.markdown(f"{chain or ui.plain(row['source_type'])}")
        counted = counts_text(parse_counts(row.get("counts")))
        if counted:
            st.markdown(f"Counts: {ui.plain(counted)}")
        st.caption(f"{date} (precision: {row['date_precision']}) · place precision {row['geo_precision']}"
                   + (f" · note: {ui.plain(row['note'])}" if row["note"] else ""))
        left, right = st.columns(2)
        if left.button("Show on the map", icon=":material/map:", key=f"card_map_{i}", width="stretch",
                       disabled=row["review"] == "rejected"):
            ui.select_event(row["id"])
            st.switch_page("pages/map.py")
        if ui.may("review") and right.button("Review", icon=":material/rate_review:", key=f"card_review_{i}",
                                             width="stretch"):
            ui.select_event(row["id"])
            st.session_state["review_event"] = row["id"]
            st.switch_page("pages/review.py")


def main() -> None:
    ctx = ui.context()
    st.title("Report")
    article = _pick_article(ctx)
    if article is None:
        return
    events = ctx.store.read(article_ids=[article["id"]], review=ALL_STATES, include_repeats=True)
    mentions = ctx.store.mentions(article["id"])
    meta = [article["outlet"], article["published"].date().isoformat() if pd.notna(article["published"]) else "",
            article["url"]]
    st.caption(" · ".join(ui.plain(v) for v in meta if v) + f" · {len(mentions)} places, {len(events)} events")
    spans = [Span(int(m.start_char), int(m.end_char), "place", m.place_id or "not located", placed=bool(m.place_id))
             for m in mentions.itertuples()]
    spans += [Span(int(e.quote_start), int(e.quote_end), e.type, f"{e.type} · {e.modality} · {e.review}", key=e.id)
              for e in events.itertuples()]
    st.html(f"<style>{REPORT_CSS}</style>" + legend_html(sorted(set(events["type"]))))
    with st.container(border=True, key="report_text"):
        st.html(report_html(article["text"], spans, selected=ctx.filters.event_id))
    st.subheader(f"{len(events)} events")
    for i, (_, row) in enumerate(events.iterrows()):
        _card(row, i)


main()
