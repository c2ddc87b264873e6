"""Turn Odoo 18.0's requirements.txt into pins that install on Python 3.11 and 3.12.

Odoo pins one version per distribution release; the oldest pins no longer build on
current Pythons. For each package we keep the last (newest) pin, use
psycopg2-binary instead of psycopg2 (no libpq headers needed) and leave out
python-ldap (needs OpenLDAP headers; only the auth_ldap addon uses it) and
Windows-only packages.

Usage: python odoo_requirements.py ODOO_SRC/requirements.txt > requirements.txt
"""

import re
import sys

SKIP = {"python-ldap", "pypiwin32", "rl-renderpm"}
RENAME = {"psycopg2": "psycopg2-binary"}


def newest_pins(lines):
    pins = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        spec = line.split(";", 1)[0].strip()
        name = re.split(r"[=<>!~ ]", spec, maxsplit=1)[0].strip()
        key = name.lower()
        if key in SKIP:
            continue
        pins[key] = spec.replace(name, RENAME.get(key, name), 1)
    return list(pins.values())


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print("\n".join(newest_pins(handle)))
