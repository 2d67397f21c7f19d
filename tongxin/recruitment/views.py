from django.http import HttpResponse


def index(request):
    return HttpResponse("")


def admissions(request):
    return HttpResponse("")
