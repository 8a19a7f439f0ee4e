from django.urls import include, path

from forum import views

app_name = "community"

routes = [
    path("", views.index, name="index"),
    path("<id:forum_id>/", views.forum_view, name="forum"),
    path("<id:forum_id>/new/", views.new_topic, name="new_topic"),
    path("<id:forum_id>/follow/", views.follow_forum, name="follow_forum"),
    path("<id:forum_id>/mentions/", views.forum_mentions, name="forum_mentions"),
    path("ask/", views.ask, name="ask"),
    path("topic/<id:topic_id>/", views.topic_view, name="topic"),
    path("topic/<id:topic_id>/reply/", views.reply, name="reply"),
    path("topic/<id:topic_id>/follow/", views.follow_topic, name="follow_topic"),
    path("topic/<id:topic_id>/mentions/", views.mentions, name="mentions"),
    path("topic/<id:topic_id>/lock/", views.lock_topic, name="lock_topic"),
    path("topic/<id:topic_id>/move/", views.move_topic, name="move_topic"),
    path("topic/<id:topic_id>/poll/", views.poll, name="poll"),
    path("topic/<id:topic_id>/poll/new/", views.new_poll, name="new_poll"),
    path("post/<id:post_id>/", views.post_view, name="post"),
    path("post/<id:post_id>/edit/", views.edit_post, name="edit_post"),
    path("post/<id:post_id>/report/", views.report_post, name="report_post"),
    path("post/<id:post_id>/solution/", views.mark_solution, name="solution"),
    path("post/<id:post_id>/hide/", views.hide_post, name="hide_post"),
    path("post/<id:post_id>/approve/", views.approve_post, name="approve_post"),
    path("post/<id:post_id>/history/", views.post_history, name="post_history"),
    path("post/<id:post_id>/suspend/", views.suspend_author, name="suspend_author"),
    path("attachment/<id:attachment_id>/", views.attachment, name="attachment"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/report/<id:report_id>/", views.handle_report, name="handle_report"),
]

# Under "~forum/": a page slug never holds "~", so no route shadows a page (README, *Adding a
# module*).
urlpatterns = [path("~forum/", include(routes))]
