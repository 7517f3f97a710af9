"""The roles module and the migrations that create the roles say the same thing."""

import pytest
from django.contrib.auth.models import Group

from articles.roles import ROLES, ensure_roles

pytestmark = pytest.mark.django_db


def permissions_of(group: Group) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


@pytest.mark.parametrize("role", ROLES)
def test_migrated_role_has_exactly_the_listed_permissions(role):
    assert permissions_of(Group.objects.get(name=role)) == set(ROLES[role])


def test_ensure_roles_recreates_a_missing_role_as_migrated():
    migrated = permissions_of(Group.objects.get(name="Editor"))
    Group.objects.filter(name="Editor").delete()

    assert ensure_roles() == ["Editor"]

    assert permissions_of(Group.objects.get(name="Editor")) == migrated


def test_ensure_roles_leaves_a_changed_role_alone():
    editor = Group.objects.get(name="Editor")
    editor.permissions.clear()

    assert ensure_roles() == []

    assert permissions_of(editor) == set()
