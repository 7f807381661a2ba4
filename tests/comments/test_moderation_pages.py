"""Moderation on the public pages (issue 5): quick buttons for moderators on the post page,
caches that never leak them, closing threads, and the open moderation log."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment, Flag, ModerationAction
from comments.moderation import actions
from tests.comments.pages import plain, text
from tests.factories import CommentFactory, PostFactory, UserFactory, established_readers

pytestmark = pytest.mark.django_db

Status = Comment.Status
LOG = reverse("comments:moderation-log")


def _page(user, post) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(post.get_absolute_url()).content.decode()


def _moderate_url(comment) -> str:
    return reverse(
        "comments:moderate", kwargs={"post_id": comment.post_id, "number": comment.number}
    )


# ─── Quick buttons on the post page ──────────────────────────────────────────


def test_moderators_see_quick_buttons_under_each_comment(post, moderator):
    comment = CommentFactory(post=post)
    page = _page(moderator, post)
    assert f'action="{_moderate_url(comment)}"' in page
    assert 'value="remove">Remove</button>' in page
    assert 'value="ban">Ban author 7 days…</button>' in page
    assert 'value="delete"' not in page  # deleting for good is for superusers


def test_each_comments_tools_wait_behind_one_moderate_menu(post, moderator):
    """Issue 11: one closed <details> per comment (it opens without JavaScript)."""
    CommentFactory(post=post)
    CommentFactory(post=post)
    page = _page(moderator, post)
    menus = re.findall(r'<details class="comment__mod"><summary>Moderate.*?</details>', page, re.S)
    assert len(menus) == 2
    assert all('<form class="comment__moderate"' in menu for menu in menus)
    assert page.count('<form class="comment__moderate"') == 2


def test_superusers_also_find_delete_for_good_in_the_menu(post, superuser):
    CommentFactory(post=post)
    assert 'value="delete">Delete for good…</button>' in _page(superuser, post)


def test_a_held_comment_offers_approve_and_a_removed_one_restore(post, moderator):
    CommentFactory(post=post, pending=True)
    CommentFactory(post=post, removed=True)
    forms = re.findall(r'<form class="comment__moderate".*?</form>', _page(moderator, post))
    assert 'value="publish"' in forms[0] and 'value="restore"' not in forms[0]
    assert 'value="restore"' in forms[1] and 'value="remove"' not in forms[1]


@pytest.mark.parametrize("viewer", ["anonymous", "reader"])
def test_others_never_see_moderation_forms_even_after_a_moderator_warmed_the_cache(
    post, moderator, reader, viewer
):
    CommentFactory(post=post)
    _page(moderator, post)
    page = _page(None if viewer == "anonymous" else reader, post)
    assert "comment__moderate" not in page
    assert "/moderate/" not in page


def test_each_moderator_page_carries_its_own_csrf_token(post, moderator):
    CommentFactory(post=post)
    other = UserFactory(username="mo2", is_staff=True, groups=["Moderators"])
    pages = [_page(moderator, post), _page(other, post)]
    tokens = [
        set(re.findall(r'class="comment__moderate".*?csrfmiddlewaretoken" value="([^"]+)"', p))
        for p in pages
    ]
    assert all(len(found) == 1 for found in tokens)
    assert tokens[0] != tokens[1]


def test_a_quick_button_works_without_javascript_with_the_pages_token(post, moderator):
    comment = CommentFactory(post=post, body="Vile words.")
    reply = CommentFactory(post=post, parent=comment, body="A calm reply.")
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    page = client.get(post.get_absolute_url()).content.decode()
    form = re.search(
        rf'<form class="comment__moderate" method="post" action="({_moderate_url(comment)})">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )
    data = {"csrfmiddlewaretoken": form.group(2), "action": "remove", "reason": "Insults"}
    response = client.post(form.group(1), data, follow=True)
    assert response.status_code == 200
    assert f"Comment #{comment.number} is removed" in text(response)
    anonymous = plain(Client().get(post.get_absolute_url()))
    assert f"#{comment.number} [removed by a moderator: Insults]" in anonymous
    assert "A calm reply." in anonymous
    assert reply.number == comment.number + 1


def test_a_ban_first_says_what_will_happen_and_bans_nobody(client, post, moderator, reader):
    """Issue 11: the ban button leads to a confirmation stating the ban's end."""
    comment = CommentFactory(post=post, author=reader)
    client.force_login(moderator)
    data = {"action": "ban", "reason": "Trolling", "ban_days": "7", "shadow": ""}
    response = client.post(_moderate_url(comment), data)
    assert response.status_code == 200
    ends = timezone.localtime(timezone.now() + timedelta(days=7))
    page = text(response)
    assert (
        f"Bans {reader.public_name} for 7 days: they cannot post or reply until "
        f"{ends.day} {ends:%B %Y}" in page
    )
    assert not reader.comment_bans.exists()
    assert not ModerationAction.objects.exists()


def test_a_confirmed_quick_ban_from_the_post_page(client, post, moderator, reader):
    comment = CommentFactory(post=post, author=reader)
    client.force_login(moderator)
    data = {"action": "ban", "reason": "Trolling", "ban_days": "30", "shadow": "", "confirm": "1"}
    response = client.post(_moderate_url(comment), data, follow=True)
    assert f"{reader.public_name} is banned for 30 days." in text(response)
    assert reader.comment_bans.get().is_in_force


def test_the_ban_confirmation_sends_the_chosen_ban_back(client, post, moderator, reader):
    comment = CommentFactory(post=post, author=reader)
    client.force_login(moderator)
    data = {"action": "ban", "reason": "Trolling", "ban_days": "0", "shadow": "1"}
    page = client.post(_moderate_url(comment), data).content.decode()
    assert "Shadow-bans" in page and "for good" in page
    for field in ('name="ban_days" value="0"', 'name="shadow" value="1"', 'name="confirm"'):
        assert field in page


def test_deleting_for_good_says_it_cannot_be_undone_then_deletes(client, post, superuser):
    comment = CommentFactory(post=post)
    client.force_login(superuser)
    first = client.post(_moderate_url(comment), {"action": "delete"})
    assert first.status_code == 200
    assert "This cannot be undone" in text(first)
    assert Comment.objects.filter(pk=comment.pk).exists()
    done = client.post(_moderate_url(comment), {"action": "delete", "confirm": "1"}, follow=True)
    assert f"Comment #{comment.number} is deleted for good." in text(done)
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert ModerationAction.objects.get().action == ModerationAction.Action.DELETE


def test_moderators_see_flags_on_the_post_page(post, moderator):
    comment = CommentFactory(post=post)
    for reason in ("spam", "abuse"):
        Flag.objects.create(comment=comment, reader=UserFactory(username=reason), reason=reason)
    page = _page(moderator, post)
    assert "Flagged by 2 readers: Abuse or harassment, Spam or advertising" in page
    assert 'value="dismiss">Dismiss flags</button>' in page


def test_moderators_see_why_a_comment_is_held(post, moderator):
    comment = CommentFactory(post=post)
    actions.comment_hold(comment=comment, moderator=moderator, reason="Checking a claim")
    assert "Pending review. Checking a claim" in _page(moderator, post)


@pytest.fixture
def authors_post(author):
    return PostFactory(author=author, slug="authors-own")


def test_an_author_moderating_own_post_gets_buttons_without_ban(settings, authors_post, author):
    settings.COMMENTS_AUTHORS_MODERATE = True
    CommentFactory(post=authors_post)
    page = _page(author, authors_post)
    assert 'value="remove">Remove</button>' in page
    assert "Ban author" not in page


def test_an_author_gets_no_buttons_without_the_setting(authors_post, author):
    CommentFactory(post=authors_post)
    assert "comment__moderate" not in _page(author, authors_post)


# ─── Closing a thread from the post page ─────────────────────────────────────


def test_moderators_close_and_reopen_comments_from_the_post_page(client, post, moderator):
    anonymous = Client()
    anonymous.get(post.get_absolute_url())  # cached now
    client.force_login(moderator)
    page = client.get(post.get_absolute_url()).content.decode()
    assert reverse("comments:close", kwargs={"post_id": post.pk}) in page
    client.post(reverse("comments:close", kwargs={"post_id": post.pk}), {"reason": "Too hot"})
    assert "Comments are closed for this post." in text(anonymous.get(post.get_absolute_url()))
    client.post(reverse("comments:reopen", kwargs={"post_id": post.pk}))
    assert Post.objects.get(pk=post.pk).allow_comments
    assert 'class="comment-form"' in anonymous.get(post.get_absolute_url()).content.decode()


def test_readers_see_no_close_button(post, reader):
    assert reverse("comments:close", kwargs={"post_id": post.pk}) not in _page(reader, post)


# ─── The public moderation log ───────────────────────────────────────────────


def test_the_log_lists_a_removal_with_its_reason_but_never_the_text(client, post, moderator):
    comment = CommentFactory(post=post, body="Unrepeatable words.")
    actions.comment_remove(comment=comment, moderator=moderator, reason="Slur")
    page = plain(client.get(LOG))
    assert f"A moderator removed #{comment.number} on {post.title}: Slur" in page
    assert "Unrepeatable words." not in page


def test_the_log_calls_moderators_a_moderator_by_default(client, post):
    named = UserFactory(username="mod-zelda", is_staff=True, groups=["Moderators"])
    actions.comment_remove(comment=CommentFactory(post=post), moderator=named, reason="Rude")
    assert "mod-zelda" not in client.get(LOG).content.decode()


def test_the_log_names_moderators_when_the_setting_says_so(settings, client, post, moderator):
    settings.COMMENTS_LOG_SHOWS_MODERATORS = True
    actions.comment_mark_spam(comment=CommentFactory(post=post), moderator=moderator)
    assert f"{moderator.public_name} marked #1 on {post.title} as spam" in plain(client.get(LOG))


def test_the_log_shows_holds_by_flags_and_bans(client, post, moderator, reader):
    from comments.moderation.flags import flag_create

    comment = CommentFactory(post=post)
    for flagger in established_readers(3, "lf"):
        flag_create(comment=comment, reader=flagger, reason="spam")
    actions.user_ban(user=reader, moderator=moderator, reason="Trolling", days=7)
    page = plain(client.get(LOG))
    assert f"Readers’ flags held #{comment.number} on {post.title} for review" in page
    assert f"A moderator banned {reader.public_name}: Trolling (for 7 days)" in page


def test_the_log_hides_shadow_bans(client, moderator, reader):
    actions.user_ban(user=reader, moderator=moderator, reason="Bot", days=7, is_shadow=True)
    assert reader.public_name not in plain(client.get(LOG))


def test_the_log_hides_actions_on_posts_readers_cannot_see(client, moderator):
    draft = PostFactory(slug="later-draft")
    comment = CommentFactory(post=draft)
    Post.objects.filter(pk=draft.pk).update(status=Post.Status.DRAFT)
    actions.comment_remove(comment=comment, moderator=moderator, reason="Hidden")
    assert ModerationAction.objects.exists()
    assert "Hidden" not in plain(client.get(LOG))


def test_the_log_has_a_fixed_number_of_queries(client, post, moderator, django_assert_num_queries):
    for n in range(12):
        actions.comment_remove(comment=CommentFactory(post=post), moderator=moderator, reason="x")
        actions.user_ban(
            user=UserFactory(username=f"log{n}"), moderator=moderator, reason="y", days=1
        )
    # Count, the page, two savepoints.
    with django_assert_num_queries(4):
        assert client.get(LOG).status_code == 200


def test_the_post_page_links_to_the_log(post):
    assert LOG in _page(None, post)


# ─── Query ceilings with moderation data ─────────────────────────────────────


@pytest.fixture(params=[10, 500], ids=lambda n: f"{n}-comments")
def moderated_post(request, post, reader, other_reader, moderator):
    """A busy post with flags, holds, removals and a shadow-banned reader's comments."""
    from tests.factories import create_comment_tree

    create_comment_tree(post=post, count=request.param, authors=[reader, other_reader, None])
    flaggers = [UserFactory(username=f"q{n}") for n in range(2)]
    for comment in Comment.objects.filter(post=post, number__lte=request.param // 2, depth=0):
        for flagger in flaggers:
            Flag.objects.create(comment=comment, reader=flagger, reason="spam")
    Comment.objects.filter(post=post, number__in=[3, 7]).update(status=Status.PENDING)
    Comment.objects.filter(post=post, number=4).update(status=Status.REMOVED, moderation_reason="x")
    Comment.objects.filter(post=post, author=reader, number__gt=5).update(status=Status.SHADOWED)
    return post


@pytest.mark.parametrize("view", ["threaded", "chronological"])
def test_the_moderator_page_keeps_its_query_count(
    client, moderated_post, moderator, view, django_assert_max_num_queries
):
    client.force_login(moderator)
    with django_assert_max_num_queries(20):  # as SIGNED_IN_FIRST_VISIT in test_queries.py
        response = client.get(moderated_post.get_absolute_url(), {"view": view})
    assert "comment--flagged" in response.content.decode()


def test_the_shadow_banned_readers_page_keeps_its_query_count(
    client, moderated_post, reader, django_assert_max_num_queries
):
    client.force_login(reader)
    with django_assert_max_num_queries(20):  # a reader's first visit, cold cache (test_queries)
        assert client.get(moderated_post.get_absolute_url()).status_code == 200
