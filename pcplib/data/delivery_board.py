"""The board that holds the strategies' owners to account each quarter.

Beside the board that reviews each strategy on the forward plan, many plans have a
board that meets quarterly and holds the named owners to account for progress or
delays (in the sample, seed 002 para 12). Its name comes from the data set, never from
code, in ``dataset.yaml``:

.. code-block:: yaml

    delivery_board:
      name: "... Delivery Board"      # the heading of its quarterly view
      chair: "Chief Executive"        # optional

A data set without the key gets the neutral name :data:`DEFAULT_NAME`; a key given but
not a mapping with a ``name`` is a one-line error naming the file and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcplib.safe_yaml import load_yaml_text

__all__ = ["DEFAULT_NAME", "DeliveryBoard", "read_delivery_board"]

DEFAULT_NAME = "Delivery Board"


@dataclass(frozen=True)
class DeliveryBoard:
    """The quarterly delivery board, in the words its view uses.

    Attributes
    ----------
    name : str
        The board's name, as the view's heading gives it.
    chair : str
        Who chairs it (empty when the data set does not say).
    """

    name: str = DEFAULT_NAME
    chair: str = ""


def read_delivery_board(data_dir: Path | str) -> DeliveryBoard:
    """Return the delivery board a data set names in its ``dataset.yaml``.

    Parameters
    ----------
    data_dir : path-like
        The data set folder.

    Returns
    -------
    DeliveryBoard
        The board; :data:`DEFAULT_NAME` when ``dataset.yaml`` has no ``delivery_board``.

    Raises
    ------
    ValueError
        If ``delivery_board`` is given but is not a mapping with a non-empty ``name``
        (the message names the file and the key).
    """
    path = Path(data_dir) / "dataset.yaml"
    try:
        meta = load_yaml_text(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        # An unreadable dataset.yaml is validation's to report, with its line.
        return DeliveryBoard()
    if not isinstance(meta, dict) or "delivery_board" not in meta:
        return DeliveryBoard()
    block = meta["delivery_board"]
    name = block.get("name") if isinstance(block, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ValueError(
            f"{path.as_posix()}, key delivery_board.name: expected the name of the board that "
            f"holds the owners to account each quarter; got {block!r}"
        )
    chair = block.get("chair")
    return DeliveryBoard(name.strip(), chair.strip() if isinstance(chair, str) else "")
