"""What plans tells the apps above it, without importing them.

`sharing` listens to `help_requested` and alerts the people the member chose;
plans itself knows nothing of grants or alerts.
"""

from django.dispatch import Signal

# Sent once a plans.HelpCall is committed, with `help_call_id`.
help_requested = Signal()
