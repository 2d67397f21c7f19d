"""Failed logins, counted two ways (django-axes, AXES_HANDLER):

- per user name *and* address: TONGXIN_LOGIN_FAILURE_LIMIT failures lock that name from that
  address only, so that no one elsewhere can keep an account (an administrator's) locked;
- per address, whatever the names: TONGXIN_ADDRESS_FAILURE_LIMIT failures lock the address, so
  that one password tried over many names is slowed. It is higher than the first, because an
  office behind one NAT gateway shares an address.

Both last TONGXIN_LOCKOUT_MINUTES. A locked user with a second factor gets in with password and
code (views.otp_login). axes compares one number with one limit (AXES_FAILURE_LIMIT): an address
over its own limit reports the pair's limit.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class PairAndAddressHandler(AxesDatabaseHandler):
    def _from_address(self, request):
        return AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )

    def get_failures(self, request, credentials=None) -> int:
        from_address = self._from_address(request)
        pair = _failures(from_address.filter(username=get_client_username(request, credentials)))
        if _failures(from_address) >= settings.TONGXIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears the failures of its own name from its address only: one
        account of one's own must not wipe the address's count of a spray."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
