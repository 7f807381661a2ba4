"""Post admin: authors write their own posts, moderators only read, roles come from migrations."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from blog.models import Post
from tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:blog_post_changelist"


def _post_form(**overrides):
    data = {
        "title": "Levy passes on second reading",
        "slug": "levy-passes",
        "body": "The levy passed **7 to 2**.",
        "excerpt": "",
        "cover_image_alt": "",
        "category": "",
        "status": Post.Status.PUBLISHED,
        "published_at_0": "2024-05-01",
        "published_at_1": "10:00:00",
        "allow_comments": "on",
        "_save": "Save",
    }
    return {**data, **overrides}


def _change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def _run_action(client, action, posts):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [post.pk for post in posts], "index": 0},
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _action_names(response):
    return [name for name, _label in response.context["action_form"].fields["action"].choices]


# ─── Adding and editing ──────────────────────────────────────────────────────


def test_author_can_add_a_post(client, author):
    client.force_login(author)
    response = client.post(reverse("admin:blog_post_add"), _post_form())
    assert response.status_code == 302
    assert Post.objects.get(slug="levy-passes").author == author


def test_author_adds_post_with_category_and_tags(client, author):
    category = CategoryFactory()
    tags = TagFactory.create_batch(2)
    client.force_login(author)
    client.post(
        reverse("admin:blog_post_add"),
        _post_form(category=category.pk, tags=[tag.pk for tag in tags]),
    )
    post = Post.objects.get(slug="levy-passes")
    assert (post.category, set(post.tags.all())) == (category, set(tags))


def test_added_post_has_its_body_rendered(client, author):
    client.force_login(author)
    client.post(reverse("admin:blog_post_add"), _post_form())
    assert "<strong>7 to 2</strong>" in Post.objects.get(slug="levy-passes").body_html


def test_duplicate_slug_is_a_form_error_not_a_crash(client, author, other_author):
    PostFactory(slug="levy-passes", author=other_author)
    client.force_login(author)
    response = client.post(reverse("admin:blog_post_add"), _post_form())
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Post with this Slug already exists."
    ]


def test_author_changelist_shows_only_own_posts(client, author, other_author):
    own = PostFactory(author=author)
    PostFactory(author=other_author)
    client.force_login(author)
    response = client.get(reverse(CHANGELIST))
    assert list(response.context["cl"].result_list) == [own]


def test_author_cannot_open_another_authors_post(client, author, other_author):
    theirs = PostFactory(author=other_author)
    client.force_login(author)
    response = client.get(_change_url(theirs))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_author_cannot_change_another_authors_post(client, author, other_author):
    theirs = PostFactory(author=other_author, title="Original title")
    client.force_login(author)
    client.post(_change_url(theirs), _post_form(title="Hijacked", slug=theirs.slug))
    theirs.refresh_from_db()
    assert theirs.title == "Original title"


def test_author_can_change_own_post(client, author):
    own = PostFactory(author=author)
    client.force_login(author)
    response = client.post(_change_url(own), _post_form(title="Corrected", slug=own.slug))
    own.refresh_from_db()
    assert (response.status_code, own.title) == (302, "Corrected")


def test_editing_a_post_keeps_its_author(client, superuser, author):
    own = PostFactory(author=author)
    client.force_login(superuser)
    client.post(_change_url(own), _post_form(slug=own.slug))
    own.refresh_from_db()
    assert own.author == author


def test_superuser_changelist_shows_every_post(client, superuser, author, other_author):
    posts = [PostFactory(author=author), PostFactory(author=other_author)]
    client.force_login(superuser)
    response = client.get(reverse(CHANGELIST))
    assert set(response.context["cl"].result_list) == set(posts)


def test_changelist_offers_preview_for_drafts(client, author):
    draft = PostFactory(draft=True, author=author)
    client.force_login(author)
    content = client.get(reverse(CHANGELIST)).content.decode()
    assert reverse("blog:post-preview", kwargs={"pk": draft.pk}) in content


def test_changelist_labels_scheduled_posts(client, author):
    PostFactory(scheduled=True, author=author)
    client.force_login(author)
    assert "Scheduled for" in client.get(reverse(CHANGELIST)).content.decode()


# ─── Actions ─────────────────────────────────────────────────────────────────


def test_publish_now_action_publishes_drafts(client, author):
    drafts = PostFactory.create_batch(2, draft=True, author=author)
    client.force_login(author)
    _run_action(client, "publish_now", drafts)
    assert Post.objects.published().count() == 2


def test_publish_now_action_reports_plural_count(client, author):
    drafts = PostFactory.create_batch(2, draft=True, author=author)
    client.force_login(author)
    assert _messages(_run_action(client, "publish_now", drafts)) == ["2 posts published."]


def test_publish_now_action_reports_singular_count(client, author):
    draft = PostFactory(draft=True, author=author)
    client.force_login(author)
    assert _messages(_run_action(client, "publish_now", [draft])) == ["1 post published."]


def test_publish_now_brings_scheduled_post_out_immediately(client, author):
    scheduled = PostFactory(scheduled=True, author=author)
    client.force_login(author)
    _run_action(client, "publish_now", [scheduled])
    scheduled.refresh_from_db()
    assert scheduled.is_live


def test_publish_now_keeps_a_live_posts_date_and_address(client, author):
    live = PostFactory(author=author)
    address = live.get_absolute_url()
    client.force_login(author)
    _run_action(client, "publish_now", [live])
    live.refresh_from_db()
    assert live.get_absolute_url() == address


def test_repeating_publish_now_changes_nothing_more(client, author):
    draft = PostFactory(draft=True, author=author)
    client.force_login(author)
    _run_action(client, "publish_now", [draft])
    draft.refresh_from_db()
    first_published_at = draft.published_at
    response = _run_action(client, "publish_now", [draft])
    draft.refresh_from_db()
    assert draft.published_at == first_published_at
    assert _messages(response)[-1] == "0 posts published."


def test_anonymous_action_post_changes_nothing(client):
    draft = PostFactory(draft=True)
    response = _run_action(client, "publish_now", [draft])
    draft.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not draft.is_live


def test_moderator_action_post_changes_nothing(client, moderator):
    draft = PostFactory(draft=True)
    client.force_login(moderator)
    _run_action(client, "publish_now", [draft])
    draft.refresh_from_db()
    assert not draft.is_live


def test_unpublish_action_turns_posts_back_into_drafts(client, author):
    live = PostFactory.create_batch(2, author=author)
    client.force_login(author)
    _run_action(client, "unpublish", live)
    assert Post.objects.drafts().count() == 2


def test_unpublish_action_reports_plural_count(client, author):
    live = PostFactory.create_batch(3, author=author)
    client.force_login(author)
    assert _messages(_run_action(client, "unpublish", live)) == ["3 posts unpublished."]


def test_unpublish_action_reports_singular_count(client, author):
    live = PostFactory(author=author)
    client.force_login(author)
    assert _messages(_run_action(client, "unpublish", [live])) == ["1 post unpublished."]


def test_author_action_leaves_other_authors_posts_alone(client, author, other_author):
    theirs = PostFactory(author=other_author)
    client.force_login(author)
    _run_action(client, "unpublish", [theirs])
    theirs.refresh_from_db()
    assert theirs.is_live


def test_author_does_not_get_bulk_delete_action(client, author):
    PostFactory(author=author)
    client.force_login(author)
    actions = _action_names(client.get(reverse(CHANGELIST)))
    assert "publish_now" in actions
    assert "delete_selected" not in actions


def test_superuser_gets_bulk_delete_action(client, superuser):
    PostFactory()
    client.force_login(superuser)
    assert "delete_selected" in _action_names(client.get(reverse(CHANGELIST)))


# ─── Moderators and readers ──────────────────────────────────────────────────


def test_moderator_cannot_open_the_add_post_page(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("admin:blog_post_add")).status_code == 403


def test_moderator_cannot_add_a_post(client, moderator):
    client.force_login(moderator)
    response = client.post(reverse("admin:blog_post_add"), _post_form())
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_moderator_cannot_change_a_post(client, moderator, author):
    post = PostFactory(author=author, title="Original title")
    client.force_login(moderator)
    response = client.post(_change_url(post), _post_form(title="Changed", slug=post.slug))
    post.refresh_from_db()
    assert (response.status_code, post.title) == (403, "Original title")


def test_moderator_is_offered_no_post_actions(client, moderator, author):
    PostFactory(author=author)
    client.force_login(moderator)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["action_form"] is None


def test_moderator_can_read_any_post_in_admin(client, moderator, author):
    """Moderators hold view_post so they can read what a thread is about (migration 0002)."""
    post = PostFactory(author=author)
    client.force_login(moderator)
    assert list(client.get(reverse(CHANGELIST)).context["cl"].result_list) == [post]


def test_reader_is_sent_to_admin_login(client, reader):
    client.force_login(reader)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# ─── Roles from the data migration ───────────────────────────────────────────


def _codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_authors_group_may_write_posts_and_tags():
    assert _codenames("Authors") == {
        ("blog", "add_post"),
        ("blog", "change_post"),
        ("blog", "delete_post"),
        ("blog", "view_post"),
        ("blog", "add_tag"),
        ("blog", "change_tag"),
        ("blog", "view_tag"),
        ("blog", "add_category"),
        ("blog", "view_category"),
    }


def test_moderators_group_may_only_read_posts():
    assert {perm for perm in _codenames("Moderators") if perm[0] == "blog"} == {
        ("blog", "view_post"),
        ("blog", "view_tag"),
        ("blog", "view_category"),
    }


def test_no_group_may_edit_other_peoples_posts():
    assert not Group.objects.filter(permissions__codename="change_other_posts").exists()
