"""Words the screens show for the store's codes (an inspection's kind, a follow-up result,
a complaint's problem types) and store messages in the UI's language.

Its own module because the main window and the new-inspection dialog both show them, and
the main window opens that dialog: neither may import the other for a word.
"""

from __future__ import annotations

from fieldapp.gui.i18n import tr


def kind_label(kind: str) -> str:
    return {"routine": tr("Routine"), "complaint": tr("Complaint"),
            "follow_up": tr("Follow-up")}.get(kind, kind)


def one_language(message: str, language: str) -> str:
    """A store message written "Thai (English) …" in the UI's language only: the Thai part
    for a Thai UI, the English part (and what follows it) for an English one.

    The English part is the bracket that runs to the message's end (or to a closing
    " — …"), whatever brackets it holds: an item's label may hold its own, "ค่าบีโอดี
    (BOD) ของน้ำทิ้ง", and the first " (" cut such messages short."""
    for start in (i for i in range(len(message)) if message.startswith(" (", i)):
        depth = 0
        for end in range(start + 1, len(message)):
            depth += {"(": 1, ")": -1}.get(message[end], 0)
            if depth == 0:
                break
        else:
            continue   # never closed: not the English part
        rest = message[end + 1:]
        if rest and not rest.lstrip().startswith(("—", "-")):
            continue   # a bracket inside the Thai text, "(BOD)"
        if language != "en":
            return message[:start]
        return f"{message[start + 2:end]}{rest}".strip()
    return message


def followup_label(result: str | None) -> str:
    return {"corrected": tr("Corrected"), "partly": tr("Partly corrected"),
            "not_corrected": tr("Not corrected")}.get(result or "", tr("Not recorded"))


def problem_label(problem: str) -> str:
    return {"odour": tr("Odour"), "noise": tr("Noise"), "dust": tr("Dust"),
            "wastewater": tr("Wastewater"), "waste": tr("Waste"), "fumes": tr("Fumes"),
            "other": tr("Other")}.get(problem, problem)
