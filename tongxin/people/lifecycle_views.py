"""Pages of the member lifecycle, opened from the 成员关系 tab of a person's file: each records
one dated event through tongxin.people.services and goes back to that tab."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tongxin.accounts.roles import Cap
from tongxin.core.codes import SpellReason
from tongxin.core.decorators import scope_required
from tongxin.core.forms import add_service_errors
from tongxin.orgs import selectors as org_selectors

from . import selectors, services
from .lifecycle_forms import (
    ExitForm,
    ReceiptForm,
    RestoreForm,
    SuspendForm,
    TransferInForm,
    TransferOutForm,
)
from .models import Suspension


def _membership_tab(person) -> str:
    return f"{reverse('people:detail', args=[person.pk])}?tab=membership"


def _page(request, person, form, heading: str, run, done):
    """The lifecycle form's GET and POST: ``run(data)`` calls the service, ``done(data)`` says
    what happened."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done(form.cleaned_data))
            return redirect(_membership_tab(person))
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "heading": f"{person.name} · {heading}",
            "nav_active": "people",
        },
    )


def _orgs(request):
    return org_selectors.organizations(scope=request.scope, on=timezone.localdate()).order_by(
        "path"
    )


def _data(request):
    return request.POST if request.method == "POST" else None


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def transfer_out(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    form = TransferOutForm(_data(request), orgs=_orgs(request))

    def run(data):
        if data["to_org"]:
            services.membership_transfer(
                person=person,
                to_org=data["to_org"],
                on=data["on"],
                document_no=data["document_no"],
                approved_by=data["approved_by"],
                letter_no=data["letter_no"],
            )
        else:
            services.membership_transfer_out(
                person=person,
                on=data["on"],
                to_name=data["to_name"],
                letter_no=data["letter_no"],
                document_no=data["document_no"],
                approved_by=data["approved_by"],
            )

    def done(data):
        to = data["to_org"] or data["to_name"]
        return f"已记录 {person.name} 于 {data['on']:%Y-%m-%d} 转往「{to}」"

    return _page(request, person, form, "转出", run, done)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def transfer_in(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    form = TransferInForm(_data(request), orgs=_orgs(request))

    def run(data):
        services.membership_transfer_in(
            person=person,
            org=data["org"],
            on=data["on"],
            from_name=data["from_name"],
            letter_no=data["letter_no"],
            document_no=data["document_no"],
            approved_by=data["approved_by"],
        )

    def done(data):
        return f"已记录 {person.name} 于 {data['on']:%Y-%m-%d} 转入「{data['org']}」"

    return _page(request, person, form, "转入", run, done)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def member_exit(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    form = ExitForm(_data(request))

    def run(data):
        services.membership_exit(
            person=person,
            on=data["on"],
            reason=data["reason"],
            document_no=data["document_no"],
            approved_by=data["approved_by"],
        )

    def done(data):
        return f"已记录 {person.name} 于 {data['on']:%Y-%m-%d} {SpellReason(data['reason']).label}"

    return _page(request, person, form, "退出、除名、开除或去世", run, done)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def suspend(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    form = SuspendForm(_data(request))

    def run(data):
        services.suspension_start(
            person=person,
            on=data["on"],
            reason=data["reason"],
            document_no=data["document_no"],
            approved_by=data["approved_by"],
        )

    def done(data):
        return f"已记录 {person.name} 自 {data['on']:%Y-%m-%d} 停止组织生活"

    return _page(request, person, form, "停止组织生活", run, done)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def restore(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    suspension = Suspension.objects.filter(person=person, end__isnull=True).first()
    if suspension is None:
        raise Http404(f"{person.name} 没有未恢复的停止组织生活记录")
    form = RestoreForm(_data(request))

    def run(data):
        services.suspension_end(
            suspension=suspension,
            on=data["on"],
            document_no=data["document_no"],
            approved_by=data["approved_by"],
        )

    def done(data):
        return f"已记录 {person.name} 于 {data['on']:%Y-%m-%d} 恢复组织生活"

    return _page(request, person, form, "恢复组织生活", run, done)


@scope_required(Cap.CHANGE)
@require_http_methods(["GET", "POST"])
def receipt(request, pk):
    person = selectors.get_person(scope=request.scope, pk=pk)
    pending = person.spells.filter(
        end_reason=SpellReason.TRANSFERRED_OUT, end_receipt_on__isnull=True
    ).exclude(went_to="")
    if not pending.exists():
        raise Http404(f"{person.name} 没有待登记回执的转出记录")
    form = ReceiptForm(_data(request), spells=pending)

    def run(data):
        services.membership_receipt(spell=data["spell"], on=data["on"])

    def done(data):
        return f"已登记 {person.name} 转出的回执（{data['on']:%Y-%m-%d}）"

    return _page(request, person, form, "登记转出回执", run, done)
