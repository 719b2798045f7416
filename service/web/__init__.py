"""The coordinator web app: static pages served at /, sign-in by cookie session, JSON views."""
