"""Author marks for comment headings: profile link, guest glyph, role badges (issues 4, 11)."""

import pytest
from django.urls import reverse

from accounts import badges
from tests.factories import UserFactory


def test_registered_authors_link_to_their_profile_unmarked(db):
    """Issue 11: marks are for the exceptions (guests, staff); ordinary readers get none."""
    html = badges.comment_author_html(author_id=1, username="rita", display_name="Rita <R>")
    assert f'href="{reverse("accounts:profile", kwargs={"username": "rita"})}"' in html
    assert "Rita &lt;R&gt;" in html
    assert "comment__badge" not in html


def test_registered_authors_without_display_name_show_their_username(db):
    assert ">rita</a>" in badges.registered_author_html(username="rita", display_name="")


def test_guest_marks_show_guest_and_never_the_email():
    html = badges.comment_author_html(
        author_id=None, guest_name="Steve", guest_email="s@example.net"
    )
    assert "Steve" in html
    assert "guest</span>" in html
    assert "s@example.net" not in html
    assert "example" not in html


def test_the_same_email_always_gets_the_same_mark():
    assert badges.guest_mark("steve@example.net") == badges.guest_mark(" Steve@Example.net ")


def test_two_guests_named_alike_usually_look_different():
    marks = {badges.guest_mark(f"steve{n}@example.net") for n in range(40)}
    assert len(marks) > 20


def test_the_guest_mark_is_keyed_by_the_secret_key(settings):
    emails = [f"steve{n}@example.net" for n in range(20)]
    before = [badges.guest_mark(email) for email in emails]
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    assert [badges.guest_mark(email) for email in emails] != before


def test_a_guest_without_name_is_a_deleted_account():
    assert "[deleted account]" in badges.comment_author_html(author_id=None)


def test_names_are_escaped_everywhere():
    html = badges.guest_author_html(name="<script>x</script>", email="")
    assert "<script>" not in html


@pytest.mark.django_db
def test_staff_roles_come_from_groups_in_one_query(author, moderator, reader, superuser,
                                                    django_assert_num_queries):  # fmt: skip
    with django_assert_num_queries(1):
        roles = badges.author_roles([author.pk, moderator.pk, reader.pk, superuser.pk, None])
    assert roles == {author.pk: ("author",), moderator.pk: ("moderator",), superuser.pk: ("staff",)}


@pytest.mark.django_db
def test_role_badges_show_on_registered_marks(moderator):
    roles = badges.author_roles([moderator.pk])[moderator.pk]
    html = badges.registered_author_html(username="mo", display_name="Mo", roles=roles)
    assert "comment__badge--moderator" in html


@pytest.mark.django_db
def test_staff_who_left_the_staff_lose_their_badge():
    former = UserFactory(is_staff=False, groups=["Moderators"])
    assert badges.author_roles([former.pk]) == {}


def test_profile_prefix_matches_reverse(db):
    prefix = badges.profile_url_prefix()
    assert prefix + "rita/" == reverse("accounts:profile", kwargs={"username": "rita"})
