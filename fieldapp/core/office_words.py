"""Words and codes of the office's loop that both the laptop and the server speak.

One place for them because both layers enforce the same rule: the laptop refuses to start
an amendment of an approved record and the server refuses to accept one, and the inspector
must read the same sentence either way. Plain constants only; nothing here imports.
"""

from __future__ import annotations

# Why an approved record takes no amendment (docs/office-loop.md, "Review").
APPROVED = ("บันทึกนี้ได้รับอนุมัติแล้ว แก้ไขได้เมื่อหัวหน้ากลุ่มเปิดให้แก้ไขอีกครั้ง (this record "
            "is approved: it takes an amendment only after a supervisor reopens it)")

# A follow-up inspection records its result for one order as an answer with this item id
# prefix (value: one of FOLLOWUP_RESULTS), and its photos as attachments with the same id.
ORDER_ITEM_PREFIX = "order:"
FOLLOWUP_RESULTS = ("corrected", "partly", "not_corrected")
# How the printed form and the office's order history say them.
FOLLOWUP_WORDS = {"corrected": "แก้ไขแล้ว", "partly": "แก้ไขบางส่วน",
                  "not_corrected": "ยังไม่แก้ไข"}
