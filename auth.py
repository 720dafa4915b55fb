"""Who may do what when Marsad is served to a team: a role for each signed-in e-mail address.

Pure (no streamlit): ``ui.py`` reads the signed-in user and the secrets and asks here.
The roles are ordered; each may do what the ones before it may:

- ``viewer``: the map, the events, the sources, the reports and the exports;
- ``analyst``: also reviews (confirm, reject, correct) and adds reports;
- ``admin``: also edits the gazetteer, deletes, and sees where the store is.

The secrets' ``[marsad]`` section maps addresses to roles::

    [marsad]
    default_role = "viewer"          # optional: anyone else the provider signs in
    [marsad.roles]
    "amina@example.org" = "admin"
    "omar@example.org" = "analyst"

Without ``default_role`` a signed-in address that is not listed is refused: a provider
such as a public mail service signs in anyone, and a closed server should not show them
the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ROLES = ("viewer", "analyst", "admin")
# Each action, and the least role that may do it.
ACTIONS = {"read": "viewer", "review": "analyst", "add": "analyst",
           "gazetteer": "admin", "delete": "admin", "store": "admin"}
# Without a login the app runs for the one person at the machine, who may do everything
# (and types a name for the audit log).
LOCAL = "admin"


def _role(value: object, where: str) -> str:
    role = str(value).strip().lower()
    if role not in ROLES:
        raise ValueError(f"{where}: unknown role {value!r}; use one of {', '.join(ROLES)}")
    return role


@dataclass(frozen=True, slots=True)
class Access:
    """The role of each listed address, and of a signed-in address that is not listed."""

    roles: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None

    def __post_init__(self) -> None:
        roles = {str(k).strip().lower(): _role(v, f"marsad.roles[{k!r}]") for k, v in self.roles.items()}
        object.__setattr__(self, "roles", MappingProxyType(roles))
        if self.default is not None:
            object.__setattr__(self, "default", _role(self.default, "marsad.default_role"))

    @classmethod
    def from_config(cls, section: Mapping | None) -> Access:
        """Read the secrets' ``[marsad]`` section (``roles`` and ``default_role``)."""
        section = section or {}
        roles = section.get("roles") or {}
        if not isinstance(roles, Mapping):
            raise ValueError(f"marsad.roles must map an e-mail address to a role, not {roles!r}")
        default = section.get("default_role")
        return cls(roles, None if default in (None, "", "none") else default)

    def role_of(self, email: str | None) -> str | None:
        """The role of a signed-in address; None when it may not use the app at all."""
        key = (email or "").strip().lower()
        return self.roles.get(key, self.default) if key else self.default


def may(role: str | None, action: str) -> bool:
    """Whether a role may do an action; no role (signed out, refused) may do nothing."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    return role in ROLES and ROLES.index(role) >= ROLES.index(ACTIONS[action])
