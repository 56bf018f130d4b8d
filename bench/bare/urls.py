from django.shortcuts import render
from django.urls import path

ITEMS = [{"title": f"Новость {n}", "text": "Прошла встреча наставников и наставляемых."}
         for n in range(1, 21)]  # fmt: skip


def page(request):
    return render(request, "page.html", {"title": "Наставничество", "items": ITEMS})


urlpatterns = [path("", page)]
