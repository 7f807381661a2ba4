"""Characters XML 1.0 forbids: refused at every door, and no feed breaks on them (issue 8)."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import etree

from accounts.models import User
from accounts.notifications import feed_token_renew
from accounts.profiles import profile_update
from blog.characters import refuse_xml_forbidden, xml_safe
from blog.models import Category, Post, Tag
from comments.models import Comment
from comments.posting import comment_create, comment_edit
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# What can arrive through a form (Django decodes request bodies with errors="replace",
# so a lone surrogate only arrives through Python callers: importers, the shell).
HOSTILE = {
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
    "U+0001": "\x01",
    "U+000B": "\x0b",
    "U+001F": "\x1f",
}
LONE_SURROGATE = "\ud800"


def _feeds(post, tag, category, reader) -> list[str]:
    return [
        reverse("blog:feed"),
        reverse("blog:feed-atom"),
        reverse("blog:tag-feed", kwargs={"slug": tag.slug}),
        reverse("blog:tag-feed-atom", kwargs={"slug": tag.slug}),
        reverse("blog:category-feed", kwargs={"slug": category.slug}),
        reverse("blog:category-feed-atom", kwargs={"slug": category.slug}),
        reverse("comments:feed"),
        reverse("comments:feed-atom"),
        reverse("comments:post-feed", kwargs={"post_id": post.pk}),
        reverse("comments:post-feed-atom", kwargs={"post_id": post.pk}),
        reverse("accounts:replies-feed", kwargs={"token": reader.feed_token}),
    ]


def _parse_strictly(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    # lxml refuses any character XML 1.0 forbids: exactly what feed readers do.
    return etree.fromstring(response.content, etree.XMLParser(recover=False))


@pytest.fixture
def scene():
    """A tagged, categorised post; a reader with a private replies feed and a reply to them."""
    tag, category = TagFactory(name="Housing"), CategoryFactory(name="Analysis")
    post = PostFactory(tags=[tag], category=category)
    reader = UserFactory(username="rita", display_name="Rita Reader")
    feed_token_renew(user=reader)
    replier = UserFactory(username="ravi", display_name="Ravi Replier")
    CommentFactory(post=post, parent=CommentFactory(post=post, author=reader), author=replier)
    return post, tag, category, reader, replier


# ─── The rule ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("character", [*HOSTILE.values(), LONE_SURROGATE, "\x00"])
def test_xml_safe_drops_what_xml_forbids(character):
    assert xml_safe(f"a{character}b") == "ab"


def test_xml_safe_keeps_what_xml_allows():
    text = "tab\tline\ncr\r é ✓ 😀 \ufdd0 \ufffd"
    assert xml_safe(text) == text


@pytest.mark.parametrize("name", HOSTILE)
def test_the_refusal_names_the_character(name):
    with pytest.raises(ValidationError, match=re.escape(name)):
        refuse_xml_forbidden(f"a{HOSTILE[name]}b")


# ─── Every door refuses ──────────────────────────────────────────────────────


@pytest.mark.parametrize("name", HOSTILE)
def test_a_comment_body_with_a_forbidden_character_is_refused(client, scene, name):
    """Issue 8: one U+FFFF in a comment made every comment feed unreadable."""
    post, _, _, reader, _ = scene
    client.force_login(reader)
    body = f"Noted{HOSTILE[name]}, thanks."
    response = client.post(
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {"body": body, "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert not Comment.objects.filter(body=body).exists()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_guest_name_never_stores_a_forbidden_character(scene, name):
    """Refused, or (U+000B, U+001F: Python counts them as spaces) tidied away with the spacing."""
    try:
        comment = comment_create(
            post=scene[0],
            body="Hello.",
            guest_name=f"Sam{HOSTILE[name]}Visitor",
            guest_email="sam@example.net",
        )
    except ValidationError:
        return
    assert comment.guest_name == xml_safe(comment.guest_name) == "Sam Visitor"


@pytest.mark.parametrize("character", [*HOSTILE.values(), LONE_SURROGATE])
def test_the_comment_write_function_refuses_forbidden_characters(scene, character):
    post, _, _, reader, _ = scene
    with pytest.raises(ValidationError):
        comment_create(post=post, author=reader, body=f"Noted{character}, thanks.")


@pytest.mark.parametrize("name", HOSTILE)
def test_an_edit_with_a_forbidden_character_is_refused(scene, name):
    post, _, _, reader, _ = scene
    comment = CommentFactory(post=post, author=reader, body="Fine words.")
    with pytest.raises(ValidationError):
        comment_edit(comment=comment, user=reader, body=f"Fine{HOSTILE[name]}words.")
    comment.refresh_from_db()
    assert comment.body == "Fine words."


@pytest.mark.parametrize("field", ["display_name", "bio"])
@pytest.mark.parametrize("name", HOSTILE)
def test_the_profile_form_refuses_forbidden_characters(client, scene, field, name):
    reader = scene[3]
    client.force_login(reader)
    data = {"display_name": "Rita Reader", "bio": "I read."}
    data[field] = data[field].replace(" ", HOSTILE[name])
    response = client.post(reverse("accounts:profile-edit"), data)
    assert response.status_code == 400
    reader.refresh_from_db()
    assert (reader.display_name, reader.bio) == ("Rita Reader", "")


def test_the_profile_write_function_refuses_a_lone_surrogate_in_the_bio(scene):
    with pytest.raises(ValidationError):
        profile_update(user=scene[3], display_name="Rita Reader", bio=f"I{LONE_SURROGATE}read")


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Post, "title"),
        (Post, "body"),
        (Post, "excerpt"),
        (Tag, "name"),
        (Tag, "description"),
        (Category, "name"),
        (Category, "description"),
        (User, "display_name"),
        (User, "bio"),
    ],
)
@pytest.mark.parametrize("name", HOSTILE)
def test_the_admin_refuses_forbidden_characters(scene, model, field, name):
    """The admin's forms run Model.full_clean(), hence Model.clean()."""
    instance = {Post: scene[0], Tag: scene[1], Category: scene[2], User: scene[3]}[model]
    setattr(instance, field, f"Some{HOSTILE[name]}text")
    with pytest.raises(ValidationError) as refusal:
        instance.clean()
    assert field in refusal.value.message_dict


# ─── Every feed stays well-formed ────────────────────────────────────────────


def test_every_feed_parses_after_hostile_input(client, scene):
    """Issue 8: hostile comments, names and bios are refused; every feed stays valid XML."""
    post, tag, category, reader, _ = scene
    client.force_login(reader)
    for character in HOSTILE.values():
        client.post(
            reverse("comments:post", kwargs={"post_id": post.pk}),
            {"body": f"Bad{character}body", "submission_token": str(uuid.uuid4())},
        )
        client.post(
            reverse("accounts:profile-edit"),
            {"display_name": f"Rita{character}", "bio": f"Bad{character}bio"},
        )
    client.logout()
    for url in _feeds(post, tag, category, reader):
        _parse_strictly(client, url)


def test_every_feed_parses_when_older_rows_hold_forbidden_characters(client, scene):
    """Rows stored before the refusal existed (or by a path that skips it) cannot break a feed."""
    post, tag, category, reader, replier = scene
    hostile = "".join(HOSTILE.values())
    Post.objects.filter(pk=post.pk).update(
        title=f"Title{hostile}", body_html=f"<p>Body{hostile}</p>", excerpt=f"Excerpt{hostile}"
    )
    Tag.objects.filter(pk=tag.pk).update(name=f"Tag{hostile}")
    Category.objects.filter(pk=category.pk).update(description=f"About{hostile}")
    User.objects.filter(pk__in=[reader.pk, replier.pk]).update(display_name=f"Name{hostile}")
    Comment.objects.filter(post=post).update(
        body=f"Comment{hostile}", body_html=f"<p>Comment{hostile}</p>"
    )
    CommentFactory(post=post, guest=True)
    Comment.objects.filter(post=post, author=None).update(guest_name=f"Guest{hostile}")
    for url in _feeds(post, tag, category, reader):
        root = _parse_strictly(client, url)
        assert root.xpath("//item|//*[local-name()='entry']"), url
