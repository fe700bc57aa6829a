"""The registry's field names and coordinate bounds: plain data, apart from the row cleaning.

fieldapp.core.registry_rows cleans registry rows with these; fieldapp.store.factories needs
only the names, and imports this module so that the window's start-up does not load the
row-cleaning code (its regular expressions and tables).
"""

LAT_RANGE = (5.0, 21.0)
LNG_RANGE = (97.0, 106.0)

# Fields a registry file can fill, in the factories table's own names.
TEXT_FIELDS = ("name", "operator", "business", "address", "moo", "soi", "road", "subdistrict",
               "district", "isic", "estate", "registry_updated", "phone", "contact_person")
INPUT_FIELDS = ("fid", "facreg", "factory_class", "province", "capital", "workers",
                "horsepower", "lat", "lng", "status") + TEXT_FIELDS

# The fields that come from the registry (and so make up its source hash). phone and
# contact_person are collected in the field; lat/lng are both (see fieldapp.store.factories).
REGISTRY_FIELDS = ("fid", "facreg", "facreg_key", "name", "operator", "business", "factory_type",
                   "factory_class", "address", "moo", "soi", "road", "subdistrict", "district",
                   "province", "province_code", "capital", "workers", "horsepower", "lat", "lng",
                   "isic", "estate", "status", "registry_updated")

# The fields an inspector may change in the field (store/factories.update_field_info); every
# other field of a factory belongs to the office's registry (server/push.py refuses to let a
# laptop overwrite them).
FIELD_EDITABLE = ("phone", "contact_person", "lat", "lng")
