"""The demo accounts `make run` creates; kept free of Django imports so the
runner can print them before Django starts."""

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credentials, local only

DEMO_ACCOUNTS = {
    "member": {
        "email": "demo-member@example.org",
        "display_name": "Sam",
        "is_professional": False,
        "has_own_space": True,
    },
    "counselor": {
        "email": "demo-counselor@example.org",
        "display_name": "Dr. Rivera",
        "is_professional": True,
        "has_own_space": False,  # home: their clients
    },
    "supporter": {
        "email": "demo-supporter@example.org",
        "display_name": "Alex",
        "is_professional": False,
        "has_own_space": False,  # home: the people they support
    },
}
