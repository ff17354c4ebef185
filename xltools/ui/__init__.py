"""The local page (`xltools ui`): the ribbon's buttons for offices without Excel (WPS,
信创 machines) and a dashboard of a master, served on this computer only."""
from xltools.ui.server import make_app, allowed_roots

__all__ = ["make_app", "allowed_roots"]
