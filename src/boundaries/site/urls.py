from django.urls import include, path

from boundaries.site import feeds, views

app_name = "site"

practice_patterns = [
    path("", views.policy_page, name="policy"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("posts/", views.posts, name="posts"),
    path("posts/<slug:post_slug>/", views.post_detail, name="post"),
    path("feeds/posts.atom", feeds.PostsAtomFeed(), name="posts_atom"),
    path("feeds/posts.rss", feeds.PostsFeed(), name="posts_rss"),
    path("feeds/policy.atom", feeds.AmendmentsAtomFeed(), name="policy_atom"),
    path("feeds/policy.rss", feeds.AmendmentsFeed(), name="policy_rss"),
]

urlpatterns = [
    # At the root: the practice whose own domain this is, or the installation's default
    # practice (site/hosts.py). Every practice is also under /p/<slug>/.
    path("", views.policy_page, name="home"),
    path("versions/", views.versions, name="home_versions"),
    path("versions/<int:number>/", views.version_detail, name="home_version"),
    path("posts/", views.posts, name="home_posts"),
    path("posts/<slug:post_slug>/", views.post_detail, name="home_post"),
    path("feeds/posts.atom", feeds.PostsAtomFeed(), name="home_posts_atom"),
    path("feeds/posts.rss", feeds.PostsFeed(), name="home_posts_rss"),
    path("feeds/policy.atom", feeds.AmendmentsAtomFeed(), name="home_policy_atom"),
    path("feeds/policy.rss", feeds.AmendmentsFeed(), name="home_policy_rss"),
    path("p/<slug:slug>/", include(practice_patterns)),
]
