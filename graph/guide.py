"""The Neo4j Browser guide and style for analysts, made from the saved queries.

Every `cypher/browser/*.cypher` file becomes one slide: its header comment is the title and
description, each `:param` line a runnable block, the query a runnable block (one click runs
it in the Browser). The style captions each node by its name or value instead of "—".
"""

from __future__ import annotations

import html
from importlib.resources import files

from stormops.cypher import cypher

# Each label's caption: the property that names it best.
_CAPTIONS = {
    "Identity": "identity_id", "Identifier": "value", "Record": "record_id",
    "Property": "property_id", "Storm": "name", "Journey": "journey_id",
    "Touchpoint": "channel", "Profile": "segment", "MergeEvent": "kind",
    "ReviewItem": "reason", "Experiment": "name", "ApiKey": "role",
}
_COLORS = {"Identity": "#4C8EDA", "Identifier": "#F79767", "Record": "#C990C0",
           "Property": "#57C7E3", "Storm": "#F16667", "MergeEvent": "#D9C8AE",
           "ReviewItem": "#FFC454"}


def saved_queries() -> list[tuple[str, list[str], list[str], str]]:
    """Each saved query as (name, description lines, :param commands, query text)."""
    folder = files("stormops.cypher").joinpath("browser")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".cypher"):
            continue
        name = entry.name.removesuffix(".cypher")
        lines = cypher(f"browser/{name}").splitlines()
        comments = [line.lstrip("/ ").rstrip() for line in lines if line.startswith("//")]
        params = [c.split("   ")[0].strip() for c in comments if c.startswith(":param")]
        text = [c.removeprefix("Neo4j Browser: ") for c in comments if not c.startswith(":")]
        query = "\n".join(line for line in lines if not line.startswith("//")).strip()
        found.append((name, text, params, query))
    return found


def _runnable(code: str) -> str:
    return f'<pre mode="cypher" class="pre-scrollable code runnable">{html.escape(code)}</pre>'


def guide_html(api_url: str) -> str:
    """The guide as Neo4j Browser's `:play` reads it (a carousel of slides).

    Args:
        api_url: where the API serves the guide and style, for the `:style` command.
    """
    slides = [f"""<slide class="row-fluid"><div class="col-sm-12">
<h3>StormOps Identity</h3>
<p>Saved queries over the identity graph, one per slide: click a block to put it in the
editor, then run it. Set the tenant first; captions come from the StormOps style.</p>
{_runnable(":param tenant => 'demo'")}
{_runnable(f":style {api_url}/browser/style.grass")}
</div></slide>"""]
    for name, text, params, query in saved_queries():
        title = name.replace("_", " ").capitalize()
        blocks = "\n".join(_runnable(p) for p in params if p != ":param tenant => 'demo'")
        slides.append(f"""<slide class="row-fluid"><div class="col-sm-12">
<h3>{html.escape(title)}</h3>
<p>{html.escape(" ".join(text))}</p>
{blocks}
{_runnable(query)}
</div></slide>""")
    return ("<article class=\"guide\">\n<carousel class=\"deck container-fluid\">\n"
            + "\n".join(slides) + "\n</carousel>\n</article>\n")


def style_grass() -> str:
    """The Browser style: every node captioned by its name or value."""
    rules = ["node {\n  diameter: 50px;\n  caption: '{name}';\n}"]
    for label, prop in _CAPTIONS.items():
        color = f"\n  color: {_COLORS[label]};" if label in _COLORS else ""
        rules.append(f"node.{label} {{\n  caption: '{{{prop}}}';{color}\n}}")
    rules.append("relationship {\n  caption: '<type>';\n}")
    return "\n".join(rules) + "\n"
