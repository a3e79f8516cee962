"""What plans tells the apps above it, without importing them.

`sharing` listens to `help_requested` and alerts the people the member chose;
plans itself knows nothing of grants or alerts.
"""

from django.dispatch import Signal

# Sent once the request is committed, with `checkin_id`.
help_requested = Signal()
