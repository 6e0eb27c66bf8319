"""Words for the audit log's vocabulary, as the beheerder's console shows them (pure: no Flask).

Every action written with server.audit.audit() and every object type gets a label here, in Dutch and
English; tests/api/test_beheer.py fails when an action in the code has none. Unknown codes are shown as
they are.
"""

# action -> (nl, en)
ACTIONS: dict[str, tuple[str, str]] = {
    "access.denied": ("Toegang geweigerd", "Access refused"),
    "audit.read": ("Auditlog bekeken", "Audit log viewed"),
    "admin.users.read": ("Gebruikerslijst bekeken", "User list viewed"),
    "user.deactivate": ("Account uitgezet", "Account deactivated"),
    "user.activate": ("Account weer aangezet", "Account activated again"),
    "user.mfa_reset": ("Tweede factor opnieuw ingesteld", "Second factor reset"),
    "installation.retention": ("Bewaargrenzen gewijzigd", "Retention bounds changed"),
    "auth.sso_login": ("Ingelogd met werkaccount", "Logged in with work account"),
    "board.read": ("Bord bekeken", "Board viewed"),
    "digest.build": ("Weekoverzicht gemaakt", "Weekly overview built"),
    "digest.list": ("Weekoverzichten bekeken", "Weekly overviews listed"),
    "digest.read": ("Weekoverzicht gelezen", "Weekly overview read"),
    "invitation.create": ("Uitnodiging gemaakt", "Invitation created"),
    "me.erase": ("Eigen account gewist", "Own account erased"),
    "me.export": ("Eigen gegevens gedownload", "Own data downloaded"),
    "member.remove": ("Teamlid verwijderd", "Team member removed"),
    "member.update": ("Teamlid gewijzigd", "Team member changed"),
    "organisation.create": ("Gemeente aangemaakt", "Municipality created"),
    "organisation.invite": ("Beleidsmedewerker uitgenodigd", "Policy officer invited"),
    "organisation.overview": ("Cijfers gemeente bekeken", "Municipality figures viewed"),
    "organisation.update": ("Gemeente gewijzigd", "Municipality changed"),
    "team.create": ("Team aangemaakt", "Team created"),
    "team.settings": ("Teaminstellingen gewijzigd", "Team settings changed"),
    "team.reflections.read": ("Gedeelde reflecties bekeken", "Shared reflections viewed"),
    "team.learning_questions.read": ("Vragen van het team bekeken", "Team questions viewed"),
    "team.knowledge_map.read": ("Kenniskaart bekeken", "Knowledge map viewed"),
    "team.intervisie_cases.read": ("Intervisiecasussen bekeken", "Peer review cases viewed"),
    "team_note.publish": ("Teambericht gepubliceerd", "Team note published"),
    "team_note.save": ("Teambericht opgeslagen", "Team note saved"),
    "theme.create": ("Thema aangemaakt", "Theme created"),
    "theme.update": ("Thema gewijzigd", "Theme changed"),
    "theme.delete": ("Thema verwijderd", "Theme deleted"),
    "theme_of_the_month.set": ("Thema van de maand gekozen", "Theme of the month chosen"),
}

# object type -> (nl, en); also the choices of the console's "soort" filter, in this order.
OBJECT_TYPES: dict[str, tuple[str, str]] = {
    "user": ("account", "account"),
    "team": ("team", "team"),
    "digest": ("weekoverzicht", "weekly overview"),
    "invitation": ("uitnodiging", "invitation"),
    "theme": ("thema", "theme"),
    "audit_log": ("auditlog", "audit log"),
    "installation": ("installatie", "installation"),
    "organisation": ("gemeente", "municipality"),
    "organisation_invitation": ("uitnodiging gemeente", "municipality invitation"),
    "reflection": ("reflectie", "reflection"),
    "learning_question": ("leervraag", "learning question"),
    "visit": ("bezoek", "visit"),
    "feedback": ("feedback van inwoner", "resident feedback"),
    "notification": ("melding", "notification"),
    "route": ("pagina", "page"),
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def action_label(action: str, language: str) -> str:
    return _pick(ACTIONS[action], language) if action in ACTIONS else action


def object_label(object_type: str, language: str) -> str:
    return _pick(OBJECT_TYPES[object_type], language) if object_type in OBJECT_TYPES else object_type


def object_kinds(language: str) -> list[dict]:
    return [{"id": kind, "label": _pick(pair, language)} for kind, pair in OBJECT_TYPES.items()]
