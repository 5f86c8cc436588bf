"""The demo users' authenticators: set up in advance with fixed, printed keys.

A newcomer cannot scan five QR codes before trying the demo, so each demo
user gets a TOTP device whose key is derived from the user name; `dearjohn
demo_code USER` prints the code it shows now. Never used for real accounts.
"""

import hashlib

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_DEVICE_NAME = "Demo authenticator"


def demo_key(username):
    return hashlib.sha256(f"dearjohn-demo-authenticator:{username}".encode()).hexdigest()[:40]


def demo_device(username):
    """The demo authenticator of a demo user, or None for anyone else."""
    return TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, key=demo_key(username),
                                     confirmed=True).first()


def enrol_demo_users():
    from dearjohn.site.demo import DEMO_USERS

    lines = ["Second factor: each demo user's authenticator is already set up. Print the current code with",
             "  dearjohn demo_code USER      (e.g. dearjohn demo_code reviewer; each code works once, a new one every 30 s)",
             "or add a demo user to an authenticator app with its otpauth URI:"]
    for username, *_ in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        device = demo_device(username)
        if device is None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=demo_key(username), confirmed=True)
        if device is not None:
            lines.append(f"  {username:<11} {device.config_url}")
    return lines
