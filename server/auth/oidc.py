"""Single sign-on with OpenID Connect: the configured providers and what their ID token allows.

Pure decisions, no Flask: the protocol (PKCE, state, nonce, signature, iss/aud/exp/iat with a
clock-skew limit) is Authlib's, in server/api/sso.py.

OIDC_PROVIDERS (JSON list), per provider:
  name            short id in URLs ([a-z0-9-]+)
  label           button text (default "Inloggen met je werkaccount")
  issuer          the IdP's issuer URL (discovery at <issuer>/.well-known/openid-configuration)
  client_id, client_secret, scopes (default "openid email profile")
  mfa_acr, mfa_amr   acr values / amr methods that count as Leerlus's second factor
  group_claim     claim with the user's groups (default "groups")
  group_teams     {"<group>": {"team_id": "<uuid>", "role": "medewerker"}}: an unknown user in
                  one of these groups gets an account in those teams without an invitation
"""

import json
import re
from dataclasses import dataclass, field

ROLES = ("medewerker", "teamleider", "beheerder")


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str = "Inloggen met je werkaccount"
    scopes: str = "openid email profile"
    mfa_acr: tuple[str, ...] = ()
    mfa_amr: tuple[str, ...] = ()
    group_claim: str = "groups"
    group_teams: dict = field(default_factory=dict)

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def satisfies_second_factor(self, claims: dict) -> bool:
        """The IdP says it checked more than a password, in terms this installation trusts."""
        amr = claims.get("amr") or []
        return (bool(claims.get("acr")) and claims["acr"] in self.mfa_acr) or bool(
            set(amr if isinstance(amr, list) else [amr]) & set(self.mfa_amr)
        )

    def teams_for_groups(self, claims: dict) -> list[tuple[str, str]]:
        """(team_id, role) for each mapped group the token names."""
        groups = claims.get(self.group_claim) or []
        groups = groups if isinstance(groups, list) else [groups]
        return [
            (self.group_teams[g]["team_id"], self.group_teams[g].get("role", "medewerker"))
            for g in groups
            if isinstance(g, str) and g in self.group_teams
        ]


def parse_providers(raw: str | None) -> dict[str, Provider]:
    """OIDC_PROVIDERS → {name: Provider}; a configuration mistake stops the start (RuntimeError)."""
    if not raw:
        return {}
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"OIDC_PROVIDERS is not valid JSON: {error}") from error
    providers = {}
    for item in items if isinstance(items, list) else [items]:
        missing = [key for key in ("name", "issuer", "client_id", "client_secret") if not item.get(key)]
        if missing:
            raise RuntimeError(f"OIDC_PROVIDERS: {', '.join(missing)} missing")
        if not re.fullmatch(r"[a-z0-9-]{1,40}", item["name"]):
            raise RuntimeError(f"OIDC_PROVIDERS: name {item['name']!r} must be [a-z0-9-], at most 40")
        for group, target in (item.get("group_teams") or {}).items():
            if target.get("role", "medewerker") not in ROLES or not target.get("team_id"):
                raise RuntimeError(f"OIDC_PROVIDERS: group {group!r} needs a team_id and a role in {ROLES}")
        providers[item["name"]] = Provider(
            name=item["name"],
            issuer=item["issuer"],
            client_id=item["client_id"],
            client_secret=item["client_secret"],
            label=item.get("label") or Provider.label,
            scopes=item.get("scopes") or Provider.scopes,
            mfa_acr=tuple(item.get("mfa_acr") or ()),
            mfa_amr=tuple(item.get("mfa_amr") or ()),
            group_claim=item.get("group_claim") or "groups",
            group_teams=item.get("group_teams") or {},
        )
    return providers


def verified_email(claims: dict) -> str | None:
    """The address to match on, only when the IdP vouches for it (email_verified true)."""
    email = claims.get("email")
    if claims.get("email_verified") is not True or not isinstance(email, str) or "@" not in email:
        return None
    return email.strip().lower()
