"""Signing an inspection: the signature dialog, its pad and the signatures panel of the editor."""
