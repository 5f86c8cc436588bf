"""The program's roles and what each may do.

Roles are Django groups; views check the permissions listed here, never the
group names. A migration calls `sync_roles` whenever this table changes.
"""

ROLES = {
    "Officer": [
        "evidence.add_capture",
        "evidence.verify_capture",
        "cases.add_observation",
    ],
    "Reviewer": [
        "evidence.review_sighting",
        "evidence.verify_capture",
        "evidence.view_sighting",
        "evidence.view_capture",
        "vehicles.look_up_owner",
        "cases.view_case",
        "cases.change_case",
        "cases.view_evidencepolicy",
    ],
    "Supervisor": [
        "oversight.view_agency", "oversight.add_agency", "oversight.change_agency",
        "oversight.view_disclosure", "oversight.export_case",
        "evidence.view_capture",
        "evidence.view_sighting",
        "evidence.add_zone", "evidence.change_zone", "evidence.view_zone",
        "evidence.add_camera", "evidence.change_camera", "evidence.view_camera",
        "cases.view_case",
        "cases.view_evidencepolicy", "cases.add_evidencepolicy",
        "letters.view_letter",
        "letters.approve_letter",
        "letters.decide_response",
        "letters.view_response",
        "letters.add_letter", "letters.change_letter",
        "letters.view_printbatch",
        "letters.view_lettertemplate", "letters.add_lettertemplate",
        "letters.view_suppression", "letters.add_suppression",
        "insights.view_dashboard",
    ],
    "Auditor": [
        "oversight.view_auditevent",
        "letters.view_letter", "letters.view_response", "letters.view_lettertemplate", "letters.view_suppression",
        "oversight.view_agency", "oversight.view_disclosure",
        "evidence.view_zone",
        "evidence.view_camera",
        "insights.view_dashboard",
    ],
    "Administrator": [
        "auth.view_user", "auth.add_user", "auth.change_user",
        "auth.view_group",
        "accounts.manage_sign_in",
    ],
}


def sync_roles(apps, strict=True):
    """Create the groups and give each exactly its listed permissions.

    The roles migration runs before later migrations add their models'
    permissions, so it passes strict=False and skips those; the post_migrate
    hook then applies the whole table strictly.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None and strict:
                raise Permission.DoesNotExist(f"role {name}: no permission {perm}")
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
