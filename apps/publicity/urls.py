from django.contrib.sitemaps.views import sitemap
from django.urls import path

from apps.orgs.access import public_view
from apps.publicity import public, views

app_name = "publicity"

urlpatterns = [
    # The curator's side.
    path("o/<int:org_id>/news/", views.news, name="news"),
    path("o/<int:org_id>/news/new/", views.post_edit, name="post-create"),
    path("o/<int:org_id>/news/<int:post_id>/", views.post_detail, name="post-detail"),
    path("o/<int:org_id>/news/<int:post_id>/edit/", views.post_edit, name="post-edit"),
    path("o/<int:org_id>/news/<int:post_id>/repost/", views.repost_view, name="repost"),
    path(
        "o/<int:org_id>/news/<int:post_id>/photos/<int:image_id>/",
        views.photo,
        name="photo-manage",
    ),
    path("o/<int:org_id>/public/", views.page_settings, name="settings"),
    path("o/<int:org_id>/public/<slug:network>/", views.social_account, name="social"),
    # Public pages.
    path("p/<slug:slug>/", public.org_page, name="page"),
    path("p/<slug:slug>/news/", public.news_list, name="news-list"),
    path("p/<slug:slug>/news/<int:post_id>/", public.post_page, name="post"),
    path("p/<slug:slug>/photos/<int:image_id>/", public.photo, name="photo"),
    path("p/<slug:slug>/documents/", public.documents_page, name="documents"),
    path(
        "p/<slug:slug>/documents/<int:document_id>/file/",
        public.document_file,
        name="document-file",
    ),
    path("p/<slug:slug>/feed.atom", public.news_feed, name="feed"),
    path("p/<slug:slug>/events.ics", public.events_ics, name="events-ics"),
    path("p/<slug:slug>/embed/", public.embed, name="embed"),
    path("vi/", public.vi_settings, name="vi"),
    path(
        "sitemap.xml",
        public_view(sitemap),
        {"sitemaps": public.SITEMAPS},
        name="sitemap",
    ),
]
