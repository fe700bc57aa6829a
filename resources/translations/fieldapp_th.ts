<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name></name>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist.py" line="131"/>
        <source>answer %1</source>
        <translation>คำตอบ %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist.py" line="179"/>
        <source>Answered %1 of %2 required</source>
        <translation>ตอบแล้ว %1 จาก %2 ข้อที่ต้องตอบ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="44"/>
        <source>Open</source>
        <translation>ยังไม่แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="44"/>
        <source>In progress</source>
        <translation>กำลังแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="44"/>
        <source>Resolved</source>
        <translation>แก้ไขแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="45"/>
        <source>Cancelled</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="62"/>
        <source>Item</source>
        <translation>ข้อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="78"/>
        <source>e.g. 21/12/2566 or within 30 days</source>
        <translation>เช่น 21/12/2566 หรือ ภายใน 30 วัน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="85"/>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="124"/>
        <source>Remove finding</source>
        <translation>ลบข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="87"/>
        <source>Description</source>
        <translation>รายละเอียด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="88"/>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="93"/>
        <source>Legal basis</source>
        <translation>อาศัยอำนาจตาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="89"/>
        <source>Corrective order</source>
        <translation>คำสั่งให้แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="90"/>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="94"/>
        <source>Deadline</source>
        <translation>กำหนดแล้วเสร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="91"/>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="24"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="67"/>
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="105"/>
        <source>A finding needs a description</source>
        <translation>ต้องระบุรายละเอียดข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="124"/>
        <source>Remove this finding and its corrective order?</source>
        <translation>ลบข้อบกพร่องนี้และคำสั่งให้แก้ไขของข้อบกพร่องนี้หรือไม่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="159"/>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="176"/>
        <source>Add finding</source>
        <translation>เพิ่มข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/findings.py" line="193"/>
        <source>New finding</source>
        <translation>ข้อบกพร่องใหม่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="96"/>
        <source>This file is not a factory registry in a layout FieldApp knows: its columns are %1. Ask the office for the registry file as DIW publishes it (Factory_Data, with at least the columns %2) and import that file.</source>
        <translation>ไฟล์นี้ไม่ใช่ทะเบียนโรงงานในรูปแบบที่โปรแกรมรู้จัก คอลัมน์ในไฟล์คือ %1 ขอไฟล์ทะเบียนโรงงานในรูปแบบที่กรมโรงงานอุตสาหกรรมเผยแพร่ (Factory_Data ซึ่งต้องมีอย่างน้อยคอลัมน์ %2) จากสำนักงาน แล้วนำเข้าไฟล์นั้น</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="105"/>
        <source>Imported %1, updated %2, unchanged %3, rejected %4</source>
        <translation>นำเข้าใหม่ %1 ปรับปรุง %2 ไม่เปลี่ยนแปลง %3 ปฏิเสธ %4</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="108"/>
        <source>Line %1: %2</source>
        <translation>บรรทัด %1: %2</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="112"/>
        <source>… and %1 more</source>
        <translation>… และอีก %1 บรรทัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="76"/>
        <source>the disk is full; make room on it first</source>
        <translation>ดิสก์เต็ม ต้องลบไฟล์ที่ไม่ใช้ให้มีที่ว่างก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="78"/>
        <source>the database refused the rows (%1)</source>
        <translation>ฐานข้อมูลไม่รับข้อมูลชุดนี้ (%1)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="80"/>
        <source>the file could not be read (%1)</source>
        <translation>อ่านไฟล์ไม่ได้ (%1)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="83"/>
        <source>an unexpected error (%1)</source>
        <translation>เกิดข้อผิดพลาดที่ไม่คาดคิด (%1)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="123"/>
        <source>The import failed: %1.</source>
        <translation>นำเข้าไม่สำเร็จ เพราะ%1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="125"/>
        <source>The import was stopped.</source>
        <translation>การนำเข้าหยุดกลางคัน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="126"/>
        <source>%1 rows are in the database: every good row up to line %2 of %3, none after it. Import the same file again to finish: rows already in stay as they are, none is added twice.</source>
        <translation>บันทึกแล้ว %1 แถว คือทุกแถวที่ถูกต้องถึงบรรทัดที่ %2 จากทั้งหมด %3 บรรทัด ส่วนบรรทัดหลังจากนั้นยังไม่ได้นำเข้า นำเข้าไฟล์เดิมอีกครั้งเพื่อให้ครบ แถวที่บันทึกแล้วจะไม่ซ้ำและไม่เปลี่ยน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="134"/>
        <source>The import failed before any row was saved: %1.</source>
        <translation>นำเข้าไม่สำเร็จ ยังไม่ได้บันทึกแถวใดเลย เพราะ%1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="137"/>
        <source>The import was stopped before any row was saved.</source>
        <translation>การนำเข้าหยุดกลางคัน ยังไม่ได้บันทึกแถวใดเลย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="138"/>
        <source>Import the same file again to load it.</source>
        <translation>นำเข้าไฟล์เดิมอีกครั้งเพื่อโหลดข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="149"/>
        <source>Import factory registry</source>
        <translation>นำเข้าทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="150"/>
        <source>Registry files (*.csv *.xlsx)</source>
        <translation>ไฟล์ทะเบียนโรงงาน (*.csv *.xlsx)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="153"/>
        <source>Importing factories…</source>
        <translation>กำลังนำเข้าข้อมูลโรงงาน…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="153"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="174"/>
        <source>Import stopped</source>
        <translation>หยุดการนำเข้าแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="177"/>
        <source>Import finished</source>
        <translation>นำเข้าเสร็จแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="161"/>
        <location filename="../../fieldapp/gui/main/import_dialog.py" line="171"/>
        <source>Import failed</source>
        <translation>นำเข้าไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="60"/>
        <source>← Back to list</source>
        <translation>← กลับไปที่รายการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="65"/>
        <source>Undo</source>
        <translation>เลิกทำ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="66"/>
        <source>Redo</source>
        <translation>ทำซ้ำ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="70"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="155"/>
        <source>Amend</source>
        <translation>แก้ไขเพิ่มเติม (ฉบับแก้ไข)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="71"/>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="255"/>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="267"/>
        <source>Finalize</source>
        <translation>ปิดการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="100"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="67"/>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="204"/>
        <source>Checklist</source>
        <translation>รายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="101"/>
        <source>Findings and orders</source>
        <translation>ข้อบกพร่องและคำสั่ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="102"/>
        <source>Signatures</source>
        <translation>ลายมือชื่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="104"/>
        <source>Signed paper</source>
        <translation>เอกสารลงนามแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="136"/>
        <source>Orders followed up</source>
        <translation>ผลการตรวจติดตามคำสั่ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="161"/>
        <location filename="../../fieldapp/gui/main/main_window.py" line="68"/>
        <source>Finalized</source>
        <translation>ปิดการตรวจแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="161"/>
        <source>Draft</source>
        <translation>ฉบับร่าง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="167"/>
        <source> · amends record %1</source>
        <translation> · แก้ไขบันทึกเลขที่ %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="168"/>
        <source> · amends an earlier record</source>
        <translation> · แก้ไขบันทึกฉบับก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="172"/>
        <source>Returned by the office: %1</source>
        <translation>สำนักงานส่งกลับให้แก้ไข: %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="173"/>
        <source>Record</source>
        <translation>บันทึกเลขที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="201"/>
        <source>Not saved</source>
        <translation>ยังไม่ได้บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="256"/>
        <source>Nobody has signed on screen. Lock this record unsigned, to print the form and have it signed in ink? After finalizing it cannot be changed; attach a scan of the signed paper under “Signed paper”.</source>
        <translation>ยังไม่มีผู้ใดลงนามบนหน้าจอ ต้องการปิดการตรวจและล็อกบันทึกนี้โดยยังไม่ลงนาม เพื่อพิมพ์แบบบันทึกให้ลงนามด้วยหมึกหรือไม่ เมื่อปิดแล้วจะแก้ไขไม่ได้ แนบภาพสแกนเอกสารที่ลงนามแล้วได้ที่แท็บ “เอกสารลงนามแล้ว”</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="267"/>
        <source>Lock this record? After finalizing it cannot be changed; corrections become an amendment.</source>
        <translation>ปิดการตรวจและล็อกบันทึกนี้หรือไม่ เมื่อปิดแล้วจะแก้ไขไม่ได้ การแก้ไขภายหลังต้องทำเป็นฉบับแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="297"/>
        <source>The deadline of these findings is before the day of the inspection: %1.</source>
        <translation>กำหนดแล้วเสร็จของข้อบกพร่องต่อไปนี้อยู่ก่อนวันตรวจ: %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="340"/>
        <source>Adding photos</source>
        <translation>กำลังเพิ่มภาพถ่าย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="341"/>
        <source>Photos are still being added to this record; wait a moment, then try again.</source>
        <translation>กำลังเพิ่มภาพถ่ายเข้าบันทึกนี้อยู่ รอสักครู่แล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="329"/>
        <source>Typing not saved</source>
        <translation>มีข้อความที่ยังไม่ได้บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="330"/>
        <source>Some typing is not a value and was not saved (listed in red). Leave anyway? What is typed there will be lost; the value stored before it stays.</source>
        <translation>มีข้อความที่พิมพ์ไว้ซึ่งไม่ใช่ค่าที่ถูกต้อง จึงยังไม่ได้บันทึก (แสดงเป็นสีแดง) ต้องการออกจากหน้านี้หรือไม่ ข้อความที่พิมพ์ไว้จะหายไป และค่าที่บันทึกไว้ก่อนหน้าจะยังคงอยู่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="354"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="180"/>
        <source>No amendment made</source>
        <translation>ยังไม่ได้สร้างบันทึกแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="56"/>
        <source>Pass</source>
        <translation>ผ่าน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="56"/>
        <source>Fail</source>
        <translation>ไม่ผ่าน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="56"/>
        <source>Not applicable</source>
        <translation>ไม่เกี่ยวข้อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="57"/>
        <source>Not checked</source>
        <translation>ไม่ได้ตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="161"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="67"/>
        <source>Note</source>
        <translation>หมายเหตุ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="192"/>
        <source>latitude, longitude (e.g. 13.7563, 100.5018)</source>
        <translation>ละติจูด, ลองจิจูด (เช่น 13.7563, 100.5018)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="198"/>
        <source>e.g. 12.5, &lt;2 (below detection) or ND</source>
        <translation>เช่น 12.5, &lt;2 (ต่ำกว่าขีดจำกัดการตรวจวัด) หรือ ND (ไม่พบ)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="202"/>
        <source>limit %1</source>
        <translation>ค่ามาตรฐาน %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="241"/>
        <source>Document number</source>
        <translation>เลขที่เอกสาร</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="352"/>
        <source>Below the legal minimum</source>
        <translation>ต่ำกว่าเกณฑ์มาตรฐาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="353"/>
        <source>Over the legal limit</source>
        <translation>เกินค่ามาตรฐาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="355"/>
        <source>Cannot be judged: the detection limit is above the legal limit</source>
        <translation>ตัดสินจากค่านี้ไม่ได้: ขีดจำกัดการตรวจวัดสูงกว่าเกณฑ์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="400"/>
        <source>Choose pass or fail: the value alone cannot be judged</source>
        <translation>เลือกผ่านหรือไม่ผ่าน: ค่านี้ตัดสินเองไม่ได้ (ระบุเหตุผลในหมายเหตุ)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="402"/>
        <source>A failed item needs a note</source>
        <translation>ข้อที่ไม่ผ่านต้องมีหมายเหตุ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/item_widget.py" line="404"/>
        <source>A failed item needs a photo</source>
        <translation>ข้อที่ไม่ผ่านต้องมีภาพถ่าย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="68"/>
        <source>Drafts</source>
        <translation>ฉบับร่าง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="69"/>
        <source>Waiting to sync</source>
        <translation>รอส่งข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="14"/>
        <source>Routine</source>
        <translation>ตรวจประจำ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="43"/>
        <source>Corrected</source>
        <translation>แก้ไขแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="43"/>
        <source>Partly corrected</source>
        <translation>แก้ไขบางส่วน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="44"/>
        <source>Not corrected</source>
        <translation>ยังไม่แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="44"/>
        <source>Not recorded</source>
        <translation>ยังไม่บันทึกผล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="48"/>
        <source>Odour</source>
        <translation>กลิ่นเหม็น</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="48"/>
        <source>Noise</source>
        <translation>เสียงดัง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="48"/>
        <source>Dust</source>
        <translation>ฝุ่นละออง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="49"/>
        <source>Wastewater</source>
        <translation>น้ำเสีย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="49"/>
        <source>Waste</source>
        <translation>กากของเสีย/ขยะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="49"/>
        <source>Fumes</source>
        <translation>ควันหรือไอระเหย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="14"/>
        <source>Complaint</source>
        <translation>ตรวจตามข้อร้องเรียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="15"/>
        <source>Follow-up</source>
        <translation>ตรวจติดตาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="164"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="63"/>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="33"/>
        <source>Factory</source>
        <translation>โรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="164"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="66"/>
        <source>Type</source>
        <translation>ประเภท</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="164"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="35"/>
        <source>Started</source>
        <translation>วันเวลาที่ตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="164"/>
        <source>State</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="164"/>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="63"/>
        <source>Record no.</source>
        <translation>เลขที่บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="199"/>
        <source>All provinces</source>
        <translation>ทุกจังหวัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="204"/>
        <source>Any status</source>
        <translation>ทุกสถานะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="254"/>
        <source>Search failed; try other words</source>
        <translation>ค้นหาไม่สำเร็จ ลองใช้คำอื่น</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="256"/>
        <source>%1 factories found</source>
        <translation>พบ %1 โรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="15"/>
        <source>Factory ID</source>
        <translation>เลขทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="16"/>
        <source>Old registration no.</source>
        <translation>เลขทะเบียนเดิม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="17"/>
        <source>Operator</source>
        <translation>ผู้ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="18"/>
        <source>Business</source>
        <translation>ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="19"/>
        <source>Type / class</source>
        <translation>ประเภท/ลำดับ / จำพวก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="21"/>
        <source>Address</source>
        <translation>ที่ตั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="22"/>
        <source>Coordinates</source>
        <translation>พิกัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="23"/>
        <source>Workers</source>
        <translation>คนงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="89"/>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="25"/>
        <source>Phone</source>
        <translation>โทรศัพท์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_detail.py" line="26"/>
        <source>Contact person</source>
        <translation>ผู้ติดต่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="285"/>
        <source>No inspections yet</source>
        <translation>ยังไม่มีการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="203"/>
        <source>Print a blank form</source>
        <translation>พิมพ์แบบฟอร์มเปล่า</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="209"/>
        <source>Blank form</source>
        <translation>แบบฟอร์มเปล่า</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="88"/>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="89"/>
        <source>Name</source>
        <translation>ชื่อ-นามสกุล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="88"/>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="89"/>
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="171"/>
        <source>No checklist template is installed</source>
        <translation>ยังไม่มีแบบรายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="175"/>
        <source>Name at least one inspector</source>
        <translation>ต้องระบุพนักงานเจ้าหน้าที่อย่างน้อย 1 คน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/new_inspection.py" line="101"/>
        <source>Some checklist templates could not be read and are not offered; sync again or ask the office.</source>
        <translation>มีแบบรายการตรวจบางฉบับที่อ่านไม่ได้จึงไม่แสดงให้เลือก กรุณาซิงก์อีกครั้งหรือติดต่อสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="83"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="155"/>
        <source>Print…</source>
        <translation>พิมพ์…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="85"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="156"/>
        <source>Export PDF…</source>
        <translation>ส่งออก PDF…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="118"/>
        <source>The printed form is not available in this version</source>
        <translation>รุ่นนี้ยังพิมพ์แบบบันทึกไม่ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="126"/>
        <source>The form could not be made</source>
        <translation>สร้างแบบบันทึกไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="136"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="304"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="311"/>
        <source>Export PDF</source>
        <translation>ส่งออก PDF</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="137"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="305"/>
        <source>PDF files (*.pdf)</source>
        <translation>ไฟล์ PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="147"/>
        <source>Print preview</source>
        <translation>ตัวอย่างก่อนพิมพ์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_export.py" line="154"/>
        <source>once the paper is signed, attach its scan in the Signed paper tab</source>
        <translation>เมื่อลงนามในเอกสารแล้ว ให้แนบภาพสแกนที่แท็บ &quot;เอกสารลงนามแล้ว&quot;</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/setup/settings_dialog.py" line="49"/>
        <source>Office logo</source>
        <translation>ตราสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/setup/settings_dialog.py" line="50"/>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>รูปภาพ (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/setup/settings_dialog.py" line="55"/>
        <source>Data folder</source>
        <translation>โฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/sign_dialog.py" line="25"/>
        <source>Inspector (competent official)</source>
        <translation>พนักงานเจ้าหน้าที่ (ผู้ตรวจ)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/sign_dialog.py" line="26"/>
        <source>Factory representative</source>
        <translation>ผู้แทนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/sign_dialog.py" line="26"/>
        <source>Witness</source>
        <translation>พยาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/sign_dialog.py" line="83"/>
        <source>Type the signer&apos;s name</source>
        <translation>พิมพ์ชื่อผู้ลงนาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/sign_dialog.py" line="88"/>
        <source>A refusal needs a reason and a witness</source>
        <translation>การปฏิเสธการลงนามต้องมีเหตุผลและพยาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/sign_dialog.py" line="95"/>
        <source>Sign in the box first</source>
        <translation>ลงลายมือชื่อในกรอบก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/signatures_panel.py" line="52"/>
        <source>Sign…</source>
        <translation>ลงนาม…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/signatures_panel.py" line="94"/>
        <source>Not signed yet</source>
        <translation>ยังไม่ได้ลงนาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/signatures_panel.py" line="97"/>
        <source>%1 refused to sign. Reason: %2. Witness: %3. %4</source>
        <translation>%1 ปฏิเสธการลงนาม เหตุผล: %2 พยาน: %3 %4</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signing/signatures_panel.py" line="112"/>
        <source>The record changed after signing: sign again</source>
        <translation>บันทึกถูกแก้ไขหลังลงนาม ต้องลงนามใหม่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_status.py" line="75"/>
        <source>Demo data — not sent to the office</source>
        <translation>ข้อมูลตัวอย่าง — ไม่ส่งไปสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_status.py" line="111"/>
        <source>%1 changes waiting to sync</source>
        <translation>มี %1 รายการรอส่งข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_status.py" line="112"/>
        <source>Everything is synced</source>
        <translation>ส่งข้อมูลครบแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_status.py" line="114"/>
        <source>last sync %1</source>
        <translation>ส่งข้อมูลล่าสุด %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_status.py" line="116"/>
        <source>not synced yet</source>
        <translation>ยังไม่เคยส่งข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="91"/>
        <location filename="../../fieldapp/gui/main/data_care.py" line="105"/>
        <source>Back up data</source>
        <translation>สำรองข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="92"/>
        <location filename="../../fieldapp/gui/main/data_care.py" line="128"/>
        <source>Backup files (*.zip)</source>
        <translation>ไฟล์สำรองข้อมูล (*.zip)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="95"/>
        <source>Backing up…</source>
        <translation>กำลังสำรองข้อมูล…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="106"/>
        <source>Backup saved: %1 inspections and %2 attachments in %3</source>
        <translation>สำรองข้อมูลแล้ว: การตรวจ %1 รายการ และไฟล์แนบ %2 ไฟล์ ในไฟล์ %3</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="114"/>
        <source>The backup was not made</source>
        <translation>สำรองข้อมูลไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="127"/>
        <location filename="../../fieldapp/gui/main/data_care.py" line="134"/>
        <location filename="../../fieldapp/gui/main/data_care.py" line="143"/>
        <source>Restore from a backup</source>
        <translation>กู้คืนจากไฟล์สำรอง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="139"/>
        <source>Replace the data on this laptop with the backup of %1 (%2 inspections)? The current data is kept beside it as a copy.</source>
        <translation>แทนที่ข้อมูลในเครื่องนี้ด้วยข้อมูลสำรองเมื่อ %1 (การตรวจ %2 รายการ) หรือไม่? ข้อมูลปัจจุบันจะถูกเก็บสำเนาไว้ข้าง ๆ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="146"/>
        <source>Restoring…</source>
        <translation>กำลังกู้คืนข้อมูล…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="147"/>
        <source>Restored the backup of %1</source>
        <translation>กู้คืนข้อมูลสำรองเมื่อ %1 แล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="153"/>
        <source>Remove the demo factories and inspections and start with an empty database? A copy is kept in the data folder.</source>
        <translation>ลบโรงงานและการตรวจตัวอย่าง แล้วเริ่มใช้ฐานข้อมูลว่างหรือไม่? สำเนาจะถูกเก็บไว้ในโฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="155"/>
        <source>Remove demo data</source>
        <translation>ลบข้อมูลตัวอย่าง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="158"/>
        <source>Removing demo data…</source>
        <translation>กำลังลบข้อมูลตัวอย่าง…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/data_care.py" line="159"/>
        <source>Demo data removed. A copy is kept in %1</source>
        <translation>ลบข้อมูลตัวอย่างแล้ว สำเนาเก็บไว้ที่ %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/setup/first_run.py" line="43"/>
        <source>Your data is kept in: %1</source>
        <translation>ข้อมูลของท่านเก็บไว้ที่: %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/login_dialog.py" line="66"/>
        <source>Fill in the server address, user name and password</source>
        <translation>กรุณากรอกที่อยู่เซิร์ฟเวอร์ ชื่อผู้ใช้ และรหัสผ่าน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/login_dialog.py" line="69"/>
        <source>The server address starts with https://</source>
        <translation>ที่อยู่เซิร์ฟเวอร์ต้องขึ้นต้นด้วย https://</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/login_dialog.py" line="75"/>
        <source>This address starts with http://, which is not encrypted: your password and this laptop&apos;s login would cross the network readable by anyone on it. Use the server&apos;s https:// address, or tick the box below only on a network you trust.</source>
        <translation>ที่อยู่นี้ขึ้นต้นด้วย http:// ซึ่งไม่เข้ารหัส รหัสผ่านและการเข้าสู่ระบบของเครื่องนี้จะผ่านเครือข่ายให้ผู้อื่นอ่านได้ ใช้ที่อยู่ https:// ของเซิร์ฟเวอร์ หรือทำเครื่องหมายในช่องด้านล่างเฉพาะเมื่ออยู่ในเครือข่ายที่ไว้ใจได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/login_dialog.py" line="81"/>
        <source>Logging in…</source>
        <translation>กำลังเข้าสู่ระบบ…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/login_dialog.py" line="108"/>
        <source>Cannot reach the server — check the address and that this laptop is on the office network</source>
        <translation>ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ — ตรวจสอบที่อยู่ และตรวจว่าเครื่องนี้ต่อเครือข่ายสำนักงานอยู่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="95"/>
        <source>The printer could not be opened</source>
        <translation>เปิดเครื่องพิมพ์ไม่ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="147"/>
        <source>Preparing the pages…</source>
        <translation>กำลังเตรียมหน้าเอกสาร…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="150"/>
        <source>Zoom out</source>
        <translation>ย่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="154"/>
        <source>Zoom in</source>
        <translation>ขยาย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="115"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="157"/>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="70"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="199"/>
        <source>Preparing page %1 of %2…</source>
        <translation>กำลังเตรียมหน้า %1 จาก %2…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="228"/>
        <source>%1 pages</source>
        <translation>%1 หน้า</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="233"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="234"/>
        <source>The preview could not be made</source>
        <translation>สร้างตัวอย่างก่อนพิมพ์ไม่ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="279"/>
        <source>Printing…</source>
        <translation>กำลังพิมพ์…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="283"/>
        <source>Printing page %1 of %2…</source>
        <translation>กำลังพิมพ์หน้า %1 จาก %2…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="293"/>
        <source>Sent %1 pages to the printer</source>
        <translation>ส่งไปเครื่องพิมพ์แล้ว %1 หน้า</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="299"/>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="300"/>
        <source>Printing failed</source>
        <translation>พิมพ์ไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="312"/>
        <source>The file could not be written: %1</source>
        <translation>บันทึกไฟล์ไม่ได้: %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/printing/print_preview.py" line="314"/>
        <source>Saved %1</source>
        <translation>บันทึก %1 แล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="48"/>
        <source>After the printed form was signed in ink, attach a scan or a photo of the signed paper here. It is kept with the record and does not change what was signed.</source>
        <translation>เมื่อลงนามด้วยปากกาบนแบบฟอร์มที่พิมพ์แล้ว ให้แนบภาพสแกนหรือภาพถ่ายของเอกสารที่ลงนามไว้ที่นี่ ภาพจะเก็บไว้กับบันทึกการตรวจ โดยไม่เปลี่ยนแปลงเนื้อหาที่ลงนามแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="53"/>
        <source>Attach scan of signed paper…</source>
        <translation>แนบภาพสแกนเอกสารที่ลงนาม…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="61"/>
        <source>No scan attached yet</source>
        <translation>ยังไม่มีภาพสแกนแนบไว้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="93"/>
        <source>PDF document</source>
        <translation>เอกสาร PDF</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="118"/>
        <source>Scan not attached</source>
        <translation>แนบภาพสแกนไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="126"/>
        <source>Attach scan of signed paper</source>
        <translation>แนบภาพสแกนเอกสารที่ลงนาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/scans.py" line="127"/>
        <source>Scans (*.jpg *.jpeg *.png *.pdf)</source>
        <translation>ภาพสแกน (*.jpg *.jpeg *.png *.pdf)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="70"/>
        <source>Cannot reach the server — your data is all here and will sync later</source>
        <translation>ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ — ข้อมูลยังอยู่ครบและจะซิงก์ภายหลัง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="72"/>
        <source>Not connected to the office server yet — log in from the Sync menu</source>
        <translation>ยังไม่ได้เชื่อมต่อเซิร์ฟเวอร์สำนักงาน — เข้าสู่ระบบได้จากเมนูซิงก์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="74"/>
        <source>The server did not accept this laptop&apos;s login — log in again from the Sync menu; your data is all here</source>
        <translation>เซิร์ฟเวอร์ไม่ยอมรับการเข้าสู่ระบบของเครื่องนี้ — เข้าสู่ระบบใหม่จากเมนูซิงก์ ข้อมูลยังอยู่ครบ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="76"/>
        <source>The server&apos;s certificate is not trusted by this laptop, so nothing was sent — ask the office for its certificate; your data is all here</source>
        <translation>เครื่องนี้ไม่เชื่อถือใบรับรองของเซิร์ฟเวอร์ จึงยังไม่ได้ส่งข้อมูลใด ๆ — ขอไฟล์ใบรับรองจากสำนักงาน ข้อมูลของคุณยังอยู่ครบ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="79"/>
        <source>The office server needs a newer FieldApp — ask the office for the update; your data is all here</source>
        <translation>เซิร์ฟเวอร์สำนักงานต้องใช้ FieldApp รุ่นใหม่กว่านี้ — ขอรุ่นใหม่จากสำนักงาน ข้อมูลยังอยู่ครบ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="83"/>
        <source>Demo data is not sent to the office — remove the demo data to start syncing</source>
        <translation>ข้อมูลตัวอย่างจะไม่ถูกส่งไปสำนักงาน — ลบข้อมูลตัวอย่างก่อนจึงจะเริ่มซิงก์ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="85"/>
        <source>The server refused %1 changes; they are kept on this laptop</source>
        <translation>เซิร์ฟเวอร์ปฏิเสธการเปลี่ยนแปลง %1 รายการ ซึ่งยังเก็บไว้ในเครื่องนี้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="87"/>
        <source>Sync stopped before the end — it will try again; your data is all here</source>
        <translation>การซิงก์หยุดก่อนเสร็จ — จะลองใหม่อีกครั้ง ข้อมูลยังอยู่ครบ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="81"/>
        <source>This laptop&apos;s clock is ahead of the office server&apos;s — set its date and time right; your changes are kept and will be sent</source>
        <translation>นาฬิกาของเครื่องนี้เดินเร็วกว่าเวลาของสำนักงาน — ตั้งวันและเวลาของเครื่องให้ถูกต้อง การแก้ไขยังเก็บไว้ในเครื่องและจะส่งเมื่อซิงก์ครั้งถัดไป</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="122"/>
        <source>sending files</source>
        <translation>กำลังส่งไฟล์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="122"/>
        <source>sending changes</source>
        <translation>กำลังส่งการเปลี่ยนแปลง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="123"/>
        <source>receiving</source>
        <translation>กำลังรับข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="123"/>
        <source>receiving the registry</source>
        <translation>กำลังรับทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="124"/>
        <source>receiving files</source>
        <translation>กำลังรับไฟล์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="188"/>
        <source>Syncing…</source>
        <translation>กำลังซิงก์…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/sync_worker.py" line="194"/>
        <source>Syncing: %1</source>
        <translation>กำลังซิงก์: %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/session.py" line="80"/>
        <source>FieldApp is still working in the background (sync, backup or loading); try again in a moment</source>
        <translation>FieldApp ยังทำงานอยู่เบื้องหลัง (ซิงก์ สำรองข้อมูล หรือโหลดข้อมูล) กรุณาลองใหม่อีกครู่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="30"/>
        <source>Inspection</source>
        <translation>การตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="30"/>
        <source>Answer</source>
        <translation>ผลการตรวจรายข้อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="31"/>
        <source>Finding</source>
        <translation>ข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="31"/>
        <source>Participant</source>
        <translation>ผู้ร่วมการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="32"/>
        <source>Signature</source>
        <translation>ลายมือชื่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="32"/>
        <source>Photo or file</source>
        <translation>ภาพถ่ายหรือไฟล์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="33"/>
        <source>Checklist template</source>
        <translation>แบบตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="42"/>
        <source>Changes the server refused</source>
        <translation>การเปลี่ยนแปลงที่เซิร์ฟเวอร์ปฏิเสธ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="46"/>
        <source>These changes stay on this laptop; nothing was deleted. Ask the office about them, or correct the record with an amendment.</source>
        <translation>การเปลี่ยนแปลงเหล่านี้ยังอยู่ในเครื่องนี้ ไม่มีสิ่งใดถูกลบ สอบถามสำนักงาน หรือแก้ไขบันทึกด้วยฉบับแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="48"/>
        <source>The server has not refused any change.</source>
        <translation>เซิร์ฟเวอร์ยังไม่เคยปฏิเสธการเปลี่ยนแปลงใด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="53"/>
        <source>When</source>
        <translation>เมื่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="53"/>
        <source>Reason</source>
        <translation>เหตุผล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync/rejected_dialog.py" line="53"/>
        <source>Kind of record</source>
        <translation>ประเภทข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/main_window.py" line="399"/>
        <source>Excel checklists (*.xlsx)</source>
        <translation>แบบตรวจ Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="80"/>
        <location filename="../../fieldapp/gui/main/main_window.py" line="398"/>
        <source>Preview a checklist file</source>
        <translation>ดูตัวอย่างแบบตรวจจากไฟล์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="52"/>
        <source>Photos cannot be added in a preview</source>
        <translation>เพิ่มภาพถ่ายในหน้าตัวอย่างไม่ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="95"/>
        <source>Sheet</source>
        <translation>แผ่นงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="95"/>
        <source>Row</source>
        <translation>แถว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="95"/>
        <source>Column</source>
        <translation>คอลัมน์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="96"/>
        <source>Problem</source>
        <translation>ปัญหา</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="112"/>
        <source>Read the file again</source>
        <translation>อ่านไฟล์อีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="144"/>
        <source>%1: %2, version %3, %4 items — no problems found</source>
        <translation>%1: %2 ฉบับที่ %3 จำนวน %4 ข้อ — ไม่พบข้อผิดพลาด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="148"/>
        <source>%1: %2 problems; fix them in Excel, save, then read the file again</source>
        <translation>%1: พบข้อผิดพลาด %2 รายการ แก้ไขใน Excel บันทึก แล้วกดอ่านไฟล์อีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/checklist_preview.py" line="54"/>
        <source>Findings cannot be added in a preview</source>
        <translation>เพิ่มข้อบกพร่องในหน้าตัวอย่างไม่ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="22"/>
        <source>The public</source>
        <translation>ประชาชนทั่วไป</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="22"/>
        <source>Environmental-industry network</source>
        <translation>เครือข่ายอุตสาหกรรมสิ่งแวดล้อม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="23"/>
        <source>LINE (Traffy Fondue)</source>
        <translation>ไลน์ แจ้งอุต (ทราฟฟี่ฟองดูว์)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="23"/>
        <source>QR code at the factory gate</source>
        <translation>คิวอาร์โค้ดหน้าโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="24"/>
        <source>Damrongdham centre</source>
        <translation>ศูนย์ดำรงธรรม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="24"/>
        <source>Letter</source>
        <translation>หนังสือ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="25"/>
        <source>Telephone</source>
        <translation>โทรศัพท์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="25"/>
        <source>In person</source>
        <translation>ร้องเรียนด้วยตนเอง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/labels.py" line="50"/>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="26"/>
        <source>Other</source>
        <translation>อื่น ๆ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="39"/>
        <source>Received</source>
        <translation>วันที่รับเรื่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="41"/>
        <source>Channel</source>
        <translation>ช่องทาง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="42"/>
        <source>About</source>
        <translation>เรื่องที่ร้องเรียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="43"/>
        <source>Place</source>
        <translation>สถานที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="44"/>
        <source>Reply due</source>
        <translation>กำหนดแจ้งผล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="51"/>
        <location filename="../../fieldapp/gui/inspection/inspection_editor.py" line="143"/>
        <source>The complaint</source>
        <translation>เรื่องร้องเรียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="51"/>
        <source>What was reported</source>
        <translation>รายละเอียดที่ร้องเรียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="60"/>
        <source>Photos sent with the complaint</source>
        <translation>ภาพถ่ายที่แนบมากับเรื่องร้องเรียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/complaint_panel.py" line="63"/>
        <source>Who complained is kept at the office and never appears on this laptop or on the printed form.</source>
        <translation>ข้อมูลผู้ร้องเรียนเก็บไว้ที่สำนักงานเท่านั้น ไม่ปรากฏในเครื่องนี้และในแบบบันทึกที่พิมพ์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="59"/>
        <source>Not downloaded yet</source>
        <translation>ยังไม่ได้ดาวน์โหลดภาพ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="84"/>
        <source>Order</source>
        <translation>คำสั่งที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="91"/>
        <source>Earlier finding</source>
        <translation>ข้อบกพร่องที่พบครั้งก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="92"/>
        <source>Order given</source>
        <translation>คำสั่งให้แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="107"/>
        <source>Photos from the earlier inspection</source>
        <translation>ภาพถ่ายจากการตรวจครั้งก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="110"/>
        <source>This order has not reached this laptop yet: sync to see what was ordered.</source>
        <translation>ข้อมูลคำสั่งนี้ยังไม่มาถึงเครื่องนี้ ซิงก์ข้อมูลเพื่อดูรายละเอียดคำสั่ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="120"/>
        <source>Follow-up finding</source>
        <translation>ผลการตรวจติดตาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="140"/>
        <source>What was found: what was done, what is still missing</source>
        <translation>สิ่งที่พบ: แก้ไขอะไรแล้ว ยังขาดอะไร</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="185"/>
        <source>Check each order the office named for this follow-up and record what you found. Every order needs a finding before finalizing.</source>
        <translation>ตรวจทีละคำสั่งที่สำนักงานกำหนดให้ติดตาม แล้วบันทึกผลที่พบ ทุกคำสั่งต้องมีผลก่อนปิดการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/followup_view.py" line="197"/>
        <source>This follow-up names no orders (it was not started from a plan of the office); use the checklist.</source>
        <translation>การตรวจติดตามนี้ไม่ได้ระบุคำสั่ง (ไม่ได้เริ่มจากแผนงานของสำนักงาน) ให้บันทึกในรายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="35"/>
        <source>Planned</source>
        <translation>ตามแผน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="63"/>
        <source>Inspected</source>
        <translation>วันที่ตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="64"/>
        <source>Returned on</source>
        <translation>วันที่ส่งกลับ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="64"/>
        <source>Reviewer</source>
        <translation>ผู้ตรวจทาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="64"/>
        <source>Comment</source>
        <translation>ความเห็น</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="66"/>
        <source>Planned for</source>
        <translation>กำหนดวันตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="66"/>
        <source>Factory or place</source>
        <translation>โรงงานหรือสถานที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="96"/>
        <source>Returned to me</source>
        <translation>ส่งกลับให้แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="98"/>
        <source>My plan</source>
        <translation>แผนงานของฉัน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="104"/>
        <source>(no comment)</source>
        <translation>(ไม่มีความเห็น)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="106"/>
        <source>An amendment is in progress.</source>
        <translation>กำลังทำบันทึกแก้ไขอยู่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="126"/>
        <source>overdue</source>
        <translation>เลยกำหนด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="127"/>
        <source>(place not given)</source>
        <translation>(ไม่ระบุสถานที่)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="129"/>
        <source>not in the registry</source>
        <translation>ไม่อยู่ในทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="154"/>
        <source>Open the amendment</source>
        <translation>เปิดบันทึกแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="157"/>
        <source>Comment from</source>
        <translation>ความเห็นของ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="200"/>
        <source>Choose the factory</source>
        <translation>เลือกโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="201"/>
        <source>This complaint is about a place that is not in the factory registry. Choose the factory in the Factories tab (search for it by name or address), then press New inspection: the checklist and type of this plan are set for you.</source>
        <translation>เรื่องร้องเรียนนี้เป็นสถานที่ที่ไม่มีในทะเบียนโรงงาน ให้เลือกโรงงานในแท็บโรงงาน (ค้นหาด้วยชื่อหรือที่อยู่) แล้วกด เริ่มการตรวจใหม่ ระบบจะตั้งแบบตรวจและประเภทการตรวจตามแผนงานนี้ให้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/office_lists.py" line="208"/>
        <source>The inspection was not started</source>
        <translation>ยังไม่ได้เริ่มการตรวจ</translation>
    </message>
</context>
<context>
    <name>FactoryStatus</name>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="237"/>
        <source>Licensed, not yet operating</source>
        <translation>ได้รับอนุญาต ยังไม่ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="238"/>
        <source>Operating</source>
        <translation>ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="239"/>
        <source>Struck off</source>
        <translation>แจ้งเลิก/จำหน่ายทะเบียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="240"/>
        <source>Stopped</source>
        <translation>หยุดประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="242"/>
        <source>Status not given</source>
        <translation>ไม่ระบุสถานะ</translation>
    </message>
</context>
<context>
    <name>FactoryTable</name>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="220"/>
        <source>(no name in the registry)</source>
        <translation>(ไม่มีชื่อในทะเบียน)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="225"/>
        <source>Factory name</source>
        <translation>ชื่อโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="226"/>
        <source>Factory ID</source>
        <translation>เลขทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="227"/>
        <source>Old registration no.</source>
        <translation>เลขทะเบียนเดิม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="215"/>
        <source>Sub-district / district / province</source>
        <translation>ตำบล / อำเภอ / จังหวัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="228"/>
        <source>Location</source>
        <translation>ที่ตั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main/factory_model.py" line="229"/>
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../ui/first_run.ui" line="6"/>
        <source>Welcome to FieldApp</source>
        <translation>ยินดีต้อนรับสู่ FieldApp</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="10"/>
        <source>&lt;h2&gt;Welcome to FieldApp&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;ยินดีต้อนรับสู่ FieldApp&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="15"/>
        <source>FieldApp works without a network. Everything you record in a factory — answers, photos, signatures — is saved on this laptop the moment you enter it. When the laptop can reach the office server, FieldApp sends your finalized records and receives the factory registry and checklists by itself; nothing is lost while you are offline.</source>
        <translation>FieldApp ทำงานได้โดยไม่ต้องมีเครือข่าย ทุกอย่างที่บันทึกในโรงงาน ทั้งผลการตรวจ ภาพถ่าย และลายมือชื่อ จะถูกบันทึกไว้ในเครื่องนี้ทันทีที่กรอก เมื่อเครื่องเชื่อมต่อเซิร์ฟเวอร์สำนักงานได้ FieldApp จะส่งบันทึกที่ยืนยันแล้ว และรับทะเบียนโรงงานกับแบบตรวจให้เอง ข้อมูลไม่สูญหายระหว่างที่ไม่มีเครือข่าย</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="21"/>
        <source>About you (printed on the inspection record; you can change it later in Settings):</source>
        <translation>ข้อมูลของท่าน (พิมพ์ลงในบันทึกการตรวจ แก้ไขภายหลังได้ที่การตั้งค่า):</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="27"/>
        <source>Your name</source>
        <translation>ชื่อ-นามสกุล</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="29"/>
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="31"/>
        <source>Office</source>
        <translation>สำนักงาน</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="37"/>
        <source>Load demo data to practise with (clearly marked as demo; removed in one step from the File menu)</source>
        <translation>โหลดข้อมูลตัวอย่างไว้ฝึกใช้งาน (มีป้ายบอกว่าเป็นข้อมูลตัวอย่าง และลบได้ในขั้นตอนเดียวจากเมนูแฟ้ม)</translation>
    </message>
    <message>
        <location filename="../../ui/first_run.ui" line="53"/>
        <source>Start</source>
        <translation>เริ่มใช้งาน</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.ui" line="6"/>
        <source>Log in to the office server</source>
        <translation>เข้าสู่ระบบเซิร์ฟเวอร์สำนักงาน</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="10"/>
        <source>Log in once with the user name and password the office gave you. This laptop then syncs by itself whenever the server can be reached.</source>
        <translation>เข้าสู่ระบบครั้งเดียวด้วยชื่อผู้ใช้และรหัสผ่านที่สำนักงานให้ไว้ จากนั้นเครื่องนี้จะซิงก์ข้อมูลเองทุกครั้งที่เชื่อมต่อเซิร์ฟเวอร์ได้</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="16"/>
        <source>Server address</source>
        <translation>ที่อยู่เซิร์ฟเวอร์</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="18"/>
        <source>User name</source>
        <translation>ชื่อผู้ใช้</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="20"/>
        <source>Password</source>
        <translation>รหัสผ่าน</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="39"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="40"/>
        <source>Log in</source>
        <translation>เข้าสู่ระบบ</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.ui" line="33"/>
        <source>Send my password unencrypted anyway (only on a network I trust)</source>
        <translation>ส่งรหัสผ่านแบบไม่เข้ารหัส (เฉพาะในเครือข่ายที่ไว้ใจได้)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldapp/gui/main/session.py" line="148"/>
        <source>Loading demo data…</source>
        <translation>กำลังโหลดข้อมูลตัวอย่าง…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="9"/>
        <source>FieldApp — factory inspections</source>
        <translation>FieldApp — การตรวจโรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="24"/>
        <source>Demo data: the factories and inspections shown are made up for practice. Remove them before real work.</source>
        <translation>ข้อมูลตัวอย่าง (demo): โรงงานและการตรวจที่แสดงเป็นข้อมูลสมมติไว้ฝึกใช้งาน กรุณาลบออกก่อนเริ่มงานจริง</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="30"/>
        <location filename="../../ui/main_window.ui" line="268"/>
        <source>Remove demo data…</source>
        <translation>ลบข้อมูลตัวอย่าง…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="44"/>
        <source>Factories</source>
        <translation>โรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="51"/>
        <source>Search by name, operator, factory ID, registration number or address</source>
        <translation>ค้นหาด้วยชื่อ ผู้ประกอบกิจการ เลขทะเบียนโรงงาน เลขทะเบียนเดิม หรือที่ตั้ง</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="87"/>
        <source>Past inspections</source>
        <translation>ประวัติการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="96"/>
        <source>New inspection…</source>
        <translation>เริ่มการตรวจใหม่…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="112"/>
        <source>Inspections</source>
        <translation>การตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="118"/>
        <source>Show:</source>
        <translation>แสดง:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="132"/>
        <source>Open</source>
        <translation>ยังไม่แก้ไข</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="148"/>
        <source>Returned to me</source>
        <translation>ส่งกลับให้แก้ไข</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="154"/>
        <source>Records the office returned for correction. Answer each with an amendment; it leaves this list when the amendment is finalized.</source>
        <translation>บันทึกที่สำนักงานส่งกลับให้แก้ไข ให้ทำบันทึกแก้ไขของแต่ละรายการ รายการจะหายจากที่นี่เมื่อปิดบันทึกแก้ไขแล้ว</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="162"/>
        <source>Amend</source>
        <translation>แก้ไขบันทึก</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="186"/>
        <source>My plan</source>
        <translation>แผนงานของฉัน</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="192"/>
        <source>Inspections the office planned for you, by date. Double-click a plan to start its inspection.</source>
        <translation>การตรวจที่สำนักงานมอบหมายให้ท่าน เรียงตามวันที่ ดับเบิลคลิกแผนงานเพื่อเริ่มการตรวจทันที</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="200"/>
        <source>Start inspection</source>
        <translation>เริ่มการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="226"/>
        <source>&amp;File</source>
        <translation>แ&amp;ฟ้ม</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="240"/>
        <source>S&amp;ync</source>
        <translation>ซิ&amp;งก์</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="250"/>
        <source>Import factory registry…</source>
        <translation>นำเข้าทะเบียนโรงงาน…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="253"/>
        <source>Settings…</source>
        <translation>ตั้งค่า…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="256"/>
        <source>Print a blank form…</source>
        <translation>พิมพ์แบบฟอร์มเปล่า…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="262"/>
        <source>Back up data…</source>
        <translation>สำรองข้อมูล…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="265"/>
        <source>Restore from a backup…</source>
        <translation>กู้คืนจากไฟล์สำรอง…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="271"/>
        <source>Sync now</source>
        <translation>ซิงก์เดี๋ยวนี้</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="275"/>
        <source>Changes the server refused…</source>
        <translation>การเปลี่ยนแปลงที่เซิร์ฟเวอร์ปฏิเสธ…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="278"/>
        <source>Log in to the office server…</source>
        <translation>เข้าสู่ระบบเซิร์ฟเวอร์สำนักงาน…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="281"/>
        <source>Quit</source>
        <translation>ออก</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="259"/>
        <source>Preview a checklist file…</source>
        <translation>ดูตัวอย่างแบบตรวจจากไฟล์…</translation>
    </message>
</context>
<context>
    <name>NewInspectionDialog</name>
    <message>
        <location filename="../../ui/new_inspection.ui" line="6"/>
        <source>New inspection</source>
        <translation>เริ่มการตรวจใหม่</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="16"/>
        <source>Checklist</source>
        <translation>รายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="18"/>
        <source>Inspection type</source>
        <translation>ประเภทการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="20"/>
        <source>Date and time</source>
        <translation>วันและเวลา</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="27"/>
        <source>Purpose</source>
        <translation>วัตถุประสงค์</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="32"/>
        <source>Inspectors</source>
        <translation>พนักงานเจ้าหน้าที่</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="38"/>
        <source>Add inspector</source>
        <translation>เพิ่มพนักงานเจ้าหน้าที่</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="41"/>
        <source>Factory representatives</source>
        <translation>ผู้แทนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="47"/>
        <source>Add representative</source>
        <translation>เพิ่มผู้แทนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="58"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="59"/>
        <source>Start inspection</source>
        <translation>เริ่มตรวจ</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="162"/>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="248"/>
        <source>Add photo…</source>
        <translation>เพิ่มภาพถ่าย…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="163"/>
        <source>Add a photo from a file, or drop image files here</source>
        <translation>เพิ่มภาพถ่ายจากไฟล์ หรือลากไฟล์รูปมาวางที่นี่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="238"/>
        <source>Adding photos…</source>
        <translation>กำลังเพิ่มภาพถ่าย…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="278"/>
        <source>Photo not added</source>
        <translation>เพิ่มภาพถ่ายไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="283"/>
        <source>Add photos</source>
        <translation>เพิ่มภาพถ่าย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="283"/>
        <source>Images (*.jpg *.jpeg *.png *.webp)</source>
        <translation>รูปภาพ (*.jpg *.jpeg *.png *.webp)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="293"/>
        <source>Remove photo</source>
        <translation>ลบภาพถ่าย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="293"/>
        <source>Remove this photo from the record?</source>
        <translation>ลบภาพถ่ายนี้ออกจากบันทึกหรือไม่</translation>
    </message>
</context>
<context>
    <name>PhotoTile</name>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="113"/>
        <source>Loading…</source>
        <translation>กำลังโหลดภาพ…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="119"/>
        <source>Caption</source>
        <translation>คำบรรยายภาพ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection/photos.py" line="122"/>
        <source>Remove photo</source>
        <translation>ลบภาพถ่าย</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="13"/>
        <source>OK</source>
        <translation>ตกลง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="14"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="15"/>
        <source>&amp;Yes</source>
        <translation>ใช่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="16"/>
        <source>&amp;No</source>
        <translation>ไม่ใช่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="17"/>
        <source>Yes to &amp;All</source>
        <translation>ใช่ทั้งหมด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="18"/>
        <source>N&amp;o to All</source>
        <translation>ไม่ใช่ทั้งหมด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="19"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="20"/>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="21"/>
        <source>Open</source>
        <translation>เปิด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="22"/>
        <source>Discard</source>
        <translation>ไม่บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="23"/>
        <source>Apply</source>
        <translation>ใช้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="24"/>
        <source>Reset</source>
        <translation>ตั้งค่าใหม่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="25"/>
        <source>Retry</source>
        <translation>ลองอีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="26"/>
        <source>Ignore</source>
        <translation>ข้าม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="27"/>
        <source>Abort</source>
        <translation>หยุด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="28"/>
        <source>Help</source>
        <translation>วิธีใช้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/qt_words.py" line="29"/>
        <source>Restore Defaults</source>
        <translation>คืนค่าเริ่มต้น</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="6"/>
        <source>Settings</source>
        <translation>ตั้งค่า</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="10"/>
        <source>Inspector name</source>
        <translation>ชื่อพนักงานเจ้าหน้าที่</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="12"/>
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="14"/>
        <source>Office name</source>
        <translation>ชื่อสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="16"/>
        <source>Office logo</source>
        <translation>ตราสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="20"/>
        <location filename="../../ui/settings_dialog.ui" line="29"/>
        <source>Choose…</source>
        <translation>เลือก…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="23"/>
        <source>Language</source>
        <translation>ภาษา</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="25"/>
        <source>Data folder</source>
        <translation>โฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="32"/>
        <source>Server address</source>
        <translation>ที่อยู่เซิร์ฟเวอร์</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="34"/>
        <source>Print dates and numbers in Thai digits (๐–๙)</source>
        <translation>พิมพ์วันที่และตัวเลขเป็นเลขไทย (๐–๙)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="39"/>
        <source>A new language or data folder takes effect when FieldApp starts again.</source>
        <translation>ภาษาหรือโฟลเดอร์ข้อมูลใหม่จะมีผลเมื่อเปิดโปรแกรมครั้งถัดไป</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="46"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="47"/>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="6"/>
        <source>Sign the inspection record</source>
        <translation>ลงนามในบันทึกการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="10"/>
        <source>Name</source>
        <translation>ชื่อ-นามสกุล</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="12"/>
        <source>Role</source>
        <translation>ฐานะ</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="14"/>
        <source>Time</source>
        <translation>เวลา</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="30"/>
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="31"/>
        <source>Undo stroke</source>
        <translation>ย้อนเส้น</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="32"/>
        <source>Redo stroke</source>
        <translation>คืนเส้น</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="38"/>
        <source>The factory representative refused to sign</source>
        <translation>ผู้แทนโรงงานปฏิเสธการลงนาม</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="44"/>
        <source>Reason</source>
        <translation>เหตุผล</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="46"/>
        <source>Witness</source>
        <translation>พยาน</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="60"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="61"/>
        <source>Save signature</source>
        <translation>บันทึกลายมือชื่อ</translation>
    </message>
</context>
<context>
    <name>ThaiDateEdit</name>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="86"/>
        <source>e.g. 21/12/2566</source>
        <translation>เช่น 21/12/2566</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="90"/>
        <source>Choose a date</source>
        <translation>เลือกวันที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="164"/>
        <source>Not a date. Type e.g. 21/12/2566</source>
        <translation>ไม่ใช่วันที่ พิมพ์ เช่น 21/12/2566</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="166"/>
        <source>Not a date. Type e.g. 21/12/2566 or within 30 days</source>
        <translation>ไม่ใช่วันที่ พิมพ์ เช่น 21/12/2566 หรือ ภายใน 30 วัน</translation>
    </message>
</context>
</TS>
