#!/usr/bin/env python3
"""Generate the addon's README.rst and Apps page from its readme/ fragments.

The OCA generates README.rst with oca-gen-addon-readme (OCA/maintainer-tools),
which is not published on PyPI; this script produces the same layout: title,
badges, DESCRIPTION, table of contents, the CONTEXT, INSTALL, CONFIGURE, USAGE,
DEVELOP, ROADMAP and HISTORY sections, bug tracker, credits (authors,
CONTRIBUTORS, CREDITS, maintainers). Markdown fragments are converted to
reStructuredText with pandoc (from the pypandoc-binary wheel), in the same
Markdown dialect as the OCA's tool. The README is checked with docutils, then
rendered to static/description/index.html, the module's page in Apps.

A source digest of the manifest and the fragments is written into README.rst.

Usage:
    gen_readme.py [ADDON_DIR]          write README.rst and index.html
    gen_readme.py --check [ADDON_DIR]  fail when either is out of date
"""

import argparse
import ast
import hashlib
import re
import sys
import tempfile
from pathlib import Path

import pypandoc
from docutils.core import publish_file, publish_string

ROOT = Path(__file__).resolve().parent.parent
BRANCH = "main"

# fragment name -> section title (None: no own section); level 2 fragments
# are README sections, level 3 ones are subsections of "Credits"
FRAGMENTS = {
    "DESCRIPTION": (None, 2),
    "CONTEXT": ("Use Cases / Context", 2),
    "INSTALL": ("Installation", 2),
    "CONFIGURE": ("Configuration", 2),
    "USAGE": ("Usage", 2),
    "DEVELOP": ("Development", 2),
    "ROADMAP": ("Known issues / Roadmap", 2),
    "HISTORY": ("Changelog", 2),
    "CONTRIBUTORS": ("Contributors", 3),
    "CREDITS": ("Other credits", 3),
}

# GitHub Flavored Markdown without raw HTML and without automatic heading
# identifiers (pylint-odoo reports unreferenced hyperlink targets)
MARKDOWN = "gfm-raw_html-gfm_auto_identifiers"

MATURITY_BADGES = {
    "alpha": ("Alpha", "red"),
    "beta": ("Beta", "yellow"),
    "production/stable": ("Production%2FStable", "green"),
    "mature": ("Mature", "brightgreen"),
}
LICENSE_URLS = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
}

# docutils settings of the OCA's tool (from pypa/readme_renderer): no file
# inclusion, no raw HTML, stop on any warning, no XML declaration (Odoo
# complains about one in index.html)
DOCUTILS_SETTINGS = {
    "file_insertion_enabled": False,
    "halt_level": 2,
    "math_output": "MathJax",
    "raw_enabled": False,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "xml_declaration": False,
    "output_encoding": "utf-8",
}


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text("utf-8"))


def source_digest(addon_dir):
    """sha256 over the manifest and the fragments (names and contents)."""
    digest = hashlib.sha256()
    files = [addon_dir / "__manifest__.py"] + sorted(
        path for path in (addon_dir / "readme").rglob("*") if path.is_file()
    )
    for path in files:
        digest.update(str(path.relative_to(addon_dir)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def fragment_rst(addon_dir, name, level):
    """The fragment as reStructuredText, or None when absent or empty."""
    md_path = addon_dir / "readme" / f"{name}.md"
    rst_path = addon_dir / "readme" / f"{name}.rst"
    if md_path.exists() and rst_path.exists():
        raise SystemExit(f"Both {md_path} and {rst_path} exist: keep one.")
    if rst_path.exists():
        text = rst_path.read_text("utf-8")
    elif md_path.exists():
        source = md_path.read_text("utf-8")
        if not source.strip():
            return None
        text = pypandoc.convert_text(
            source,
            "rst",
            format=MARKDOWN,
            extra_args=[f"--shift-heading-level-by={level - 2}", "--wrap=auto"],
            sandbox=True,
        )
    else:
        return None
    text = text.strip("\n")
    return text + "\n" if text else None


def repository(manifest):
    """(organisation, repository) from the manifest's GitHub website."""
    match = re.match(
        r"https://github\.com/([^/]+)/([^/]+?)/?$", manifest.get("website", "")
    )
    if not match:
        raise SystemExit("The manifest's website must be its GitHub repository.")
    return match.group(1), match.group(2)


def badges(manifest, org, repo, addon):
    result = []
    status = manifest.get("development_status", "Beta").lower()
    if status in MATURITY_BADGES:
        label, colour = MATURITY_BADGES[status]
        result.append(
            (
                f"https://img.shields.io/badge/maturity-{label}-{colour}.png",
                "https://odoo-community.org/page/development-status",
                label.replace("%2F", "/"),
            )
        )
    license_ = manifest.get("license")
    if license_ in LICENSE_URLS:
        result.append(
            (
                "https://img.shields.io/badge/license-"
                f"{license_.replace('-', '--')}-blue.png",
                LICENSE_URLS[license_],
                f"License: {license_}",
            )
        )
    result.append(
        (
            "https://img.shields.io/badge/github-"
            f"{org.replace('-', '--')}%2F{repo.replace('-', '--')}"
            "-lightgray.png?logo=github",
            f"https://github.com/{org}/{repo}/tree/{BRANCH}/{addon}",
            f"{org}/{repo}",
        )
    )
    return result


def section(title, body, underline):
    return f"{title}\n{underline * len(title)}\n\n{body}\n"


def render(addon_dir):
    addon = addon_dir.name
    manifest = read_manifest(addon_dir)
    org, repo = repository(manifest)
    fragments = {
        name: fragment_rst(addon_dir, name, level)
        for name, (_title, level) in FRAGMENTS.items()
    }
    if not fragments["DESCRIPTION"]:
        raise SystemExit(f"{addon_dir}/readme/DESCRIPTION.md is missing or empty.")
    name = manifest["name"]
    out = [
        f"{'=' * len(name)}\n{name}\n{'=' * len(name)}\n",
        "..\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        "   !! This file is generated by scripts/gen_readme.py !!\n"
        "   !! from readme/*.md: changes will be overwritten.  !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: {source_digest(addon_dir)}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
    ]
    badge_list = badges(manifest, org, repo, addon)
    out.append(
        "".join(
            f".. |badge{index}| image:: {image}\n"
            f"    :target: {target}\n"
            f"    :alt: {alt}\n"
            for index, (image, target, alt) in enumerate(badge_list, 1)
        )
    )
    out.append(
        " ".join(f"|badge{index}|" for index in range(1, len(badge_list) + 1)) + "\n"
    )
    out.append(fragments["DESCRIPTION"])
    if manifest.get("development_status", "").lower() == "alpha":
        out.append(
            ".. IMPORTANT::\n"
            "   This is an alpha version, the data model and design can change "
            "at any time without warning.\n"
            "   Only for development or testing purpose, do not use in "
            "production.\n"
        )
    out.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    for fragment, (title, level) in FRAGMENTS.items():
        if title and level == 2 and fragments[fragment]:
            out.append(section(title, fragments[fragment], "=").rstrip("\n") + "\n")
    out.append(
        section(
            "Bug Tracker",
            f"Bugs are tracked on `GitHub Issues "
            f"<https://github.com/{org}/{repo}/issues>`_.\n"
            "In case of trouble, please check there if your issue has already "
            "been reported.\n"
            "If you spotted it first, help us to smash it by providing a "
            "detailed and welcomed\n"
            f"`feedback <https://github.com/{org}/{repo}/issues/new?body=module:"
            f"%20{addon}%0Aversion:%20{manifest['version']}%0A%0A"
            "**Steps%20to%20reproduce**%0A-%20...%0A%0A**Current%20behavior**"
            "%0A%0A**Expected%20behavior**>`_.",
            "=",
        )
    )
    credits = ["Credits\n=======\n"]
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    if authors:
        credits.append(
            section("Authors", "".join(f"* {a}\n" for a in authors).rstrip(), "-")
        )
    for fragment, (title, level) in FRAGMENTS.items():
        if level == 3 and fragments[fragment]:
            credits.append(section(title, fragments[fragment].rstrip("\n"), "-"))
    maintainers = manifest.get("maintainers") or []
    body = ""
    if maintainers:
        body += "".join(
            f".. |maintainer-{m}| image:: https://github.com/{m}.png?size=40px\n"
            f"    :target: https://github.com/{m}\n"
            f"    :alt: {m}\n"
            for m in maintainers
        )
        plural = "s" if len(maintainers) > 1 else ""
        body += f"\nCurrent maintainer{plural}:\n\n"
        body += " ".join(f"|maintainer-{m}|" for m in maintainers) + "\n\n"
    body += (
        f"This module is part of the `{org}/{repo} "
        f"<https://github.com/{org}/{repo}/tree/{BRANCH}/{addon}>`_ "
        "project on GitHub.\n\nYou are welcome to contribute."
    )
    credits.append(section("Maintainers", body, "-"))
    out.append("\n".join(credits))
    return "\n".join(out)


def check_rst(text):
    """docutils refuses the README on any warning (halt_level 2)."""
    publish_string(
        source=text,
        writer_name="html4css1",
        settings_overrides=DOCUTILS_SETTINGS,
    )


def render_index(readme_path):
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "index.html"
        publish_file(
            source_path=str(readme_path),
            destination_path=str(target),
            writer_name="html4css1",
            settings_overrides=DOCUTILS_SETTINGS,
        )
        html = target.read_bytes()
    # no docutils version in the page: it would change with every upgrade
    return re.sub(rb"(<meta.*generator.*Docutils)\s*[\d.]+", rb"\1", html)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("addon_dir", nargs="?", default=str(ROOT / "nikki_dunning"))
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that README.rst and index.html are up to date",
    )
    args = parser.parse_args(argv)
    addon_dir = Path(args.addon_dir).resolve()
    readme_path = addon_dir / "README.rst"
    index_path = addon_dir / "static" / "description" / "index.html"
    readme = render(addon_dir)
    check_rst(readme)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh_readme = Path(tmp) / "README.rst"
            fresh_readme.write_text(readme, "utf-8")
            index = render_index(fresh_readme)
        stale = [
            str(path.relative_to(addon_dir.parent))
            for path, content in ((readme_path, readme.encode()), (index_path, index))
            if not path.exists() or path.read_bytes() != content
        ]
        if stale:
            print(
                "Out of date (run scripts/gen_readme.py and commit): "
                + ", ".join(stale)
            )
            return 1
        return 0
    readme_path.write_text(readme, "utf-8")
    index_path.parent.mkdir(parents=True, exist_ok=True)
    index_path.write_bytes(render_index(readme_path))
    print(f"Wrote {readme_path} and {index_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
