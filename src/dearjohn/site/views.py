from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .dashboard import tasks_for


def home(request):
    return render(request, "site/home.html", {"cards": tasks_for(request.user)})


@login_not_required
def health(request):
    """For a load balancer: answers 200 when the database answers, and says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
