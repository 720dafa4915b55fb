"""Correcting an event's counts on the Review page (AppTest, the sample store): the analyst's
numbers are stored, ACLED's fatalities follow them, and an untouched form changes nothing."""

import json

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return tmp_path_factory.mktemp("review_counts") / "marsad.gpkg"


def _review(app_on, store_path, event_id: str | None = None) -> AppTest:
    at = app_on(store_path)
    if event_id:
        at.query_params["event"] = event_id
    at.run()
    at.switch_page("pages/review.py").run()
    at.sidebar.text_input(key="_w_analyst").input("Amal").run()
    assert not at.exception
    return at


def test_counts_corrected_in_the_review_form_are_stored_with_their_fatalities(store_path, app_on):
    from geo.store import open_store

    _review(app_on, store_path)                          # the first start fills the store
    store = open_store(store_path)
    attacks = store.read(event_types=["attack"])
    event_id = attacks[attacks["fatalities"].isna()]["id"].iloc[0]
    store.close()
    at = _review(app_on, store_path, event_id)
    key = f"fix_{event_id}"
    # the untouched form saves nothing about counts
    at.button(key=f"{key}_save").click().run()
    store = open_store(store_path)
    assert "counts" not in set(store.audit(target_id=event_id)["field"])
    store.close()
    # an analyst adds the toll the machine missed: at least 12 killed
    at.selectbox(key=f"{key}_ck_0").select("killed").run()
    at.number_input(key=f"{key}_cl_0").set_value(12.0).run()
    at.selectbox(key=f"{key}_cq_0").select("at least").run()
    at.button(key=f"{key}_save").click().run()
    assert not at.exception
    store = open_store(store_path)
    row = store.read(ids=[event_id], review=["auto", "confirmed", "rejected"], include_repeats=True).iloc[0]
    log = store.audit(target_id=event_id)
    store.close()
    assert [(c["kind"], c["low"], c["high"], c["qualifier"]) for c in json.loads(row["counts"])] == \
        [("killed", 12, None, "at least")]
    assert row["fatalities"] == 12
    assert list(log[log["field"] == "counts"]["who"]) == ["Amal"]
