"""The access log page: for the staff who answer for an operation (Permission.VIEW_ACCESS_LOG)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from evac.audit.filters import AccessLogFilter
from evac.audit.selectors import ACCESS_LOG_PAGE_SIZE, access_log_entries, access_log_usernames
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page


@operation_page(Permission.VIEW_ACCESS_LOG)
@require_safe
def access_log(request: OperationRequest) -> HttpResponse:
    operation = request.operation
    filters = AccessLogFilter(
        request.GET or None,
        queryset=access_log_entries(operation),
        usernames=access_log_usernames(operation),
    )
    # As on the registry: a filter we can't read shows nothing, never the whole log.
    entries = filters.qs if filters.is_valid() or not filters.is_bound else filters.qs.none()
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/access_log.html", {"nav": "access_log", "filters": filters, "page": page}
    )
