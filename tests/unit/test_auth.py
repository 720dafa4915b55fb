"""auth: the role of a signed-in address, and what each role may do."""

import re

import pytest

import auth
from auth import Access, may

CONFIG = {"roles": {"Amina@Example.org": "admin", "omar@example.org": "Analyst",
                    "sara@example.org": "viewer"}}


@pytest.mark.parametrize(("email", "role"), [
    ("amina@example.org", "admin"),          # addresses compare without case
    ("AMINA@EXAMPLE.ORG ", "admin"),
    ("omar@example.org", "analyst"),
    ("sara@example.org", "viewer"),
    ("stranger@example.org", None),          # not listed: refused
    ("", None),
    (None, None),
])
def test_role_of_a_listed_or_unknown_address(email, role):
    assert Access.from_config(CONFIG).role_of(email) == role


def test_a_default_role_admits_unlisted_addresses_and_keeps_the_listed_ones():
    access = Access.from_config({**CONFIG, "default_role": "viewer"})
    assert access.role_of("stranger@example.org") == "viewer"
    assert access.role_of("omar@example.org") == "analyst"


@pytest.mark.parametrize("section", [None, {}, {"default_role": "none"}, {"default_role": ""}])
def test_no_roles_configured_refuses_everyone(section):
    assert Access.from_config(section).role_of("amina@example.org") is None


@pytest.mark.parametrize(("section", "quoted"), [
    ({"roles": {"a@example.org": "superuser"}}, "'superuser'"),
    ({"default_role": "editor"}, "'editor'"),
    ({"roles": ["a@example.org"]}, "['a@example.org']"),
])
def test_a_bad_config_is_refused_quoting_the_bad_value(section, quoted):
    with pytest.raises(ValueError, match=re.escape(quoted)):
        Access.from_config(section)


def test_access_cannot_be_changed_after_it_is_read():
    access = Access.from_config(CONFIG)
    with pytest.raises(TypeError):
        access.roles["stranger@example.org"] = "admin"


# What each role may do: a viewer reads, an analyst also reviews and adds reports,
# an admin also edits the gazetteer, deletes and sees where the store is.
TABLE = {
    "viewer": {"read"},
    "analyst": {"read", "review", "add"},
    "admin": {"read", "review", "add", "gazetteer", "delete", "store"},
}


@pytest.mark.parametrize("role", [*auth.ROLES, None, "stranger"])
@pytest.mark.parametrize("action", sorted(auth.ACTIONS))
def test_what_each_role_may_do(role, action):
    assert may(role, action) is (action in TABLE.get(role, set()))


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(ValueError, match="'erase'"):
        may("admin", "erase")


def test_without_a_login_the_local_user_may_do_everything():
    assert all(may(auth.LOCAL, action) for action in auth.ACTIONS)
