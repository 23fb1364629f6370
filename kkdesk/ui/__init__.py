"""The Qt user interface. Thin: every action calls a service in ``kkdesk.core``."""
