"""Figures that are drawn rather than plotted: the computation graph of the
network of chapter 4, with the Jacobian δ of each edge written on it."""

from __future__ import annotations

from .checks import _show, as_number, as_text

__all__ = [
    "network_graph",
    "draw_graph",
    "use_book_figures",
]


def network_graph(d_x: str = "D_x", d_a1: str = "D_{a_1}"):
    """Nodes ``{name: (x, y, label)}`` and edges ``[(source, target, label)]``
    of the computation graph of problem 4, one example at a time.

    ``d_x`` and ``d_a1`` are the TeX of the two sizes written on the nodes.
    """
    as_text(d_x, "d_x")
    as_text(d_a1, "d_a1")
    nodes = {
        "x": (0.0, 1.0, rf"$x^{{(i)}}$" "\n" rf"${d_x}\times 1$"),
        "W1": (0.0, 2.2, rf"$W_1$" "\n" rf"${d_a1}\times {d_x}$"),
        "b1": (0.0, -0.2, rf"$b_1$" "\n" rf"${d_a1}\times 1$"),
        "z1": (1.6, 1.0, rf"$z_1$" "\n" rf"${d_a1}\times 1$"),
        "a1": (3.2, 1.0, rf"$a_1$" "\n" rf"${d_a1}\times 1$"),
        "w2": (3.2, 2.2, rf"$w_2$" "\n" rf"$1\times {d_a1}$"),
        "b2": (3.2, -0.2, r"$b_2$" "\n" r"$1\times 1$"),
        "z2": (4.8, 1.0, r"$z_2$" "\n" r"$1\times 1$"),
        "yhat": (6.4, 1.0, r"$\hat y^{(i)}$" "\n" r"$1\times 1$"),
        "y": (6.4, -0.2, r"$y^{(i)}$" "\n" r"$1\times 1$"),
        "J": (8.0, 1.0, r"$J$" "\n" r"$1\times 1$"),
    }
    edges = [
        ("W1", "z1", r"$\delta_5$"),
        ("x", "z1", r"$W_1$"),
        ("b1", "z1", r"$I$"),
        ("z1", "a1", r"$\delta_4$"),
        ("a1", "z2", r"$\delta_3$"),
        ("w2", "z2", r"$a_1^\top$"),
        ("b2", "z2", r"$1$"),
        ("z2", "yhat", r"$\delta_2$"),
        ("yhat", "J", r"$\delta_1$"),
        ("y", "J", ""),
    ]
    return nodes, edges


def draw_graph(ax, nodes: dict, edges: list, highlight=()) -> None:
    """Draw a computation graph on ``ax``: a rounded box per node, an arrow
    per edge with its label at the midpoint.

    ``nodes`` maps a name to ``(x, y, label)``, ``edges`` lists
    ``(source, target, label)`` between named nodes, and ``highlight`` names
    the nodes drawn in another colour; all are checked before anything is
    drawn.
    """
    _check_graph(ax, nodes, edges, highlight)
    for name, (x, y, label) in nodes.items():
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=10,
            bbox=dict(
                boxstyle="round,pad=0.35",
                fc="#e8f0fb" if name not in highlight else "#fde8c8",
                ec="#335",
            ),
        )
    for source, target, label in edges:
        (x0, y0, _), (x1, y1, _) = nodes[source], nodes[target]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(
                arrowstyle="-|>", color="#335", shrinkA=24, shrinkB=24, lw=1.2
            ),
        )
        if label:
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2 + 0.12,
                label,
                ha="center",
                va="bottom",
                fontsize=11,
                color="#a02c2c",
            )
    xs = [x for x, _, _ in nodes.values()]
    ys = [y for _, y, _ in nodes.values()]
    ax.set(
        xlim=(min(xs) - 0.7, max(xs) + 0.7),
        ylim=(min(ys) - 0.6, max(ys) + 0.6),
    )
    ax.axis("off")


# Text sizes, in points, for figures drawn at most FIGURE_WIDTH_INCHES wide:
# at that width a figure fills the 1280-px page's column at its natural size
# (1 pt = 4/3 px), so 10 pt is 13.3 px, the page's small print (its code and
# outputs, 13 px). On a phone a figure keeps that size and scrolls sideways
# in its box (_static/book.css).
FIGURE_WIDTH_INCHES = 7.0
BOOK_FIGURE_STYLE = {
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    # text drawn as paths: the figure looks the same without its fonts
    "svg.fonttype": "path",
    # the ids inside an SVG come from this salt, not from a random one, so
    # a notebook's stored output is the same on every run (nbval strict)
    "svg.hashsalt": "dlmath",
}


def use_book_figures() -> None:
    """Draw the notebook's figures as SVG (sharp at any zoom and in print)
    that is byte-identical from run to run: a fixed hash salt and no date;
    text at the book's sizes (BOOK_FIGURE_STYLE)."""
    import matplotlib as mpl
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    mpl.rcParams.update(BOOK_FIGURE_STYLE)
    set_matplotlib_formats("svg", metadata={"Date": None})


def _check_graph(ax, nodes, edges, highlight) -> None:
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {_show(ax)}")
    if not isinstance(nodes, dict) or not nodes:
        raise TypeError(
            "nodes must be a non-empty dict {name: (x, y, label)}, "
            f"got {_show(nodes)}"
        )
    for name, node in nodes.items():
        where = f"nodes[{name!r}]"
        if not isinstance(node, tuple) or len(node) != 3:
            raise ValueError(
                f"{where} must be (x, y, label), got {_show(node)}"
            )
        as_number(node[0], f"{where} x")
        as_number(node[1], f"{where} y")
        as_text(node[2], f"{where} label")
    if not isinstance(edges, (list, tuple)):
        raise TypeError(
            f"edges must be a list of (source, target, label), "
            f"got {_show(edges)}"
        )
    for i, edge in enumerate(edges):
        if not isinstance(edge, tuple) or len(edge) != 3:
            raise ValueError(
                f"edges[{i}] must be (source, target, label), "
                f"got {_show(edge)}"
            )
        source, target, label = edge
        if source not in nodes or target not in nodes:
            raise ValueError(
                f"edges[{i}], {source!r} -> {target!r}, names a node that "
                "is not in nodes"
            )
        as_text(label, f"edges[{i}] label")
    if isinstance(highlight, str) or not isinstance(
        highlight, (list, tuple, set)
    ):
        raise TypeError(
            f"highlight must be a tuple of node names, got {_show(highlight)}"
        )
    for name in highlight:
        if name not in nodes:
            raise ValueError(
                f"highlight names {_show(name)}, which is not in nodes"
            )
