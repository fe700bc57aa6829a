<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="th_TH">
<context>
    <name />
    <message>
        <location filename="../../fieldapp/gui/checklist.py" line="131" />
        <source>answer %1</source>
        <translation>คำตอบ %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/checklist.py" line="179" />
        <source>Answered %1 of %2 required</source>
        <translation>ตอบแล้ว %1 จาก %2 ข้อที่ต้องตอบ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="40" />
        <source>Open</source>
        <translation>ยังไม่แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="40" />
        <source>In progress</source>
        <translation>กำลังแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="40" />
        <source>Resolved</source>
        <translation>แก้ไขแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="41" />
        <source>Cancelled</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="57" />
        <source>Item</source>
        <translation>ข้อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="74" />
        <source>Remove finding</source>
        <translation>ลบข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="76" />
        <source>Description</source>
        <translation>รายละเอียด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="77" />
        <source>Legal basis</source>
        <translation>อาศัยอำนาจตาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="78" />
        <source>Corrective order</source>
        <translation>คำสั่งให้แก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="79" />
        <source>Deadline</source>
        <translation>กำหนดแล้วเสร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="80" />
        <location filename="../../fieldapp/gui/main_window.py" line="199" />
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="94" />
        <source>A finding needs a description</source>
        <translation>ต้องระบุรายละเอียดข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="130" />
        <location filename="../../fieldapp/gui/item_widget.py" line="164" />
        <source>Add finding</source>
        <translation>เพิ่มข้อบกพร่อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/findings.py" line="164" />
        <source>New finding</source>
        <translation>ข้อบกพร่องใหม่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="29" />
        <source>Imported %1, updated %2, unchanged %3, rejected %4</source>
        <translation>นำเข้าใหม่ %1 ปรับปรุง %2 ไม่เปลี่ยนแปลง %3 ปฏิเสธ %4</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="41" />
        <source>Import factory registry</source>
        <translation>นำเข้าทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="42" />
        <source>Registry files (*.csv *.xlsx)</source>
        <translation>ไฟล์ทะเบียนโรงงาน (*.csv *.xlsx)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="45" />
        <source>Importing factories…</source>
        <translation>กำลังนำเข้าข้อมูลโรงงาน…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="45" />
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="52" />
        <source>Import finished</source>
        <translation>นำเข้าเสร็จแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/import_dialog.py" line="54" />
        <source>Import failed</source>
        <translation>นำเข้าไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="53" />
        <source>← Back to list</source>
        <translation>← กลับไปที่รายการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="58" />
        <source>Undo</source>
        <translation>เลิกทำ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="59" />
        <source>Redo</source>
        <translation>ทำซ้ำ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="63" />
        <source>Amend</source>
        <translation>แก้ไขเพิ่มเติม (ฉบับแก้ไข)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="64" />
        <location filename="../../fieldapp/gui/inspection_editor.py" line="167" />
        <source>Finalize</source>
        <translation>ปิดการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="82" />
        <source>Checklist</source>
        <translation>รายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="83" />
        <source>Findings and orders</source>
        <translation>ข้อบกพร่องและคำสั่ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="84" />
        <source>Signatures</source>
        <translation>ลายมือชื่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="120" />
        <location filename="../../fieldapp/gui/main_window.py" line="46" />
        <source>Finalized</source>
        <translation>ปิดการตรวจแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="120" />
        <source>Draft</source>
        <translation>ฉบับร่าง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="121" />
        <source> · amends an earlier record</source>
        <translation> · แก้ไขบันทึกฉบับก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="122" />
        <source>Record</source>
        <translation>บันทึกเลขที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="144" />
        <source>Not saved</source>
        <translation>ยังไม่ได้บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/inspection_editor.py" line="167" />
        <source>Lock this record? After finalizing it cannot be changed; corrections become an amendment.</source>
        <translation>ปิดการตรวจและล็อกบันทึกนี้หรือไม่ เมื่อปิดแล้วจะแก้ไขไม่ได้ การแก้ไขภายหลังต้องทำเป็นฉบับแก้ไข</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="46" />
        <source>Pass</source>
        <translation>ผ่าน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="46" />
        <source>Fail</source>
        <translation>ไม่ผ่าน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="46" />
        <source>Not applicable</source>
        <translation>ไม่เกี่ยวข้อง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="47" />
        <source>Not checked</source>
        <translation>ไม่ได้ตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="149" />
        <source>Note</source>
        <translation>หมายเหตุ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="180" />
        <source>latitude, longitude (e.g. 13.7563, 100.5018)</source>
        <translation>ละติจูด, ลองจิจูด (เช่น 13.7563, 100.5018)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="187" />
        <source>limit %1</source>
        <translation>ค่ามาตรฐาน %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="221" />
        <source>Document number</source>
        <translation>เลขที่เอกสาร</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="319" />
        <source>Over the legal limit</source>
        <translation>เกินค่ามาตรฐาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="355" />
        <source>A failed item needs a note</source>
        <translation>ข้อที่ไม่ผ่านต้องมีหมายเหตุ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/item_widget.py" line="357" />
        <source>A failed item needs a photo</source>
        <translation>ข้อที่ไม่ผ่านต้องมีภาพถ่าย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="46" />
        <source>Drafts</source>
        <translation>ฉบับร่าง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="47" />
        <source>Waiting to sync</source>
        <translation>รอส่งข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="51" />
        <source>Routine</source>
        <translation>ตรวจประจำ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="51" />
        <source>Complaint</source>
        <translation>ตรวจตามข้อร้องเรียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="52" />
        <source>Follow-up</source>
        <translation>ตรวจติดตาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="122" />
        <source>Factory</source>
        <translation>โรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="122" />
        <source>Type</source>
        <translation>ประเภท</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="122" />
        <source>Started</source>
        <translation>วันเวลาที่ตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="122" />
        <source>State</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="122" />
        <source>Record no.</source>
        <translation>เลขที่บันทึก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="136" />
        <source>All provinces</source>
        <translation>ทุกจังหวัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="141" />
        <source>Any status</source>
        <translation>ทุกสถานะ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="166" />
        <source>Search failed; try other words</source>
        <translation>ค้นหาไม่สำเร็จ ลองใช้คำอื่น</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="168" />
        <source>%1 factories found</source>
        <translation>พบ %1 โรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="190" />
        <source>Factory ID</source>
        <translation>เลขทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="191" />
        <source>Old registration no.</source>
        <translation>เลขทะเบียนเดิม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="192" />
        <source>Operator</source>
        <translation>ผู้ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="193" />
        <source>Business</source>
        <translation>ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="194" />
        <source>Type / class</source>
        <translation>ประเภท/ลำดับ / จำพวก</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="196" />
        <source>Address</source>
        <translation>ที่ตั้ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="197" />
        <source>Coordinates</source>
        <translation>พิกัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="198" />
        <source>Workers</source>
        <translation>คนงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="200" />
        <location filename="../../fieldapp/gui/new_inspection.py" line="66" />
        <source>Phone</source>
        <translation>โทรศัพท์</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="201" />
        <source>Contact person</source>
        <translation>ผู้ติดต่อ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/main_window.py" line="214" />
        <source>No inspections yet</source>
        <translation>ยังไม่มีการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/new_inspection.py" line="65" />
        <location filename="../../fieldapp/gui/new_inspection.py" line="66" />
        <source>Name</source>
        <translation>ชื่อ-นามสกุล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/new_inspection.py" line="65" />
        <location filename="../../fieldapp/gui/new_inspection.py" line="66" />
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/new_inspection.py" line="114" />
        <source>No checklist template is installed</source>
        <translation>ยังไม่มีแบบรายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/new_inspection.py" line="118" />
        <source>Name at least one inspector</source>
        <translation>ต้องระบุพนักงานเจ้าหน้าที่อย่างน้อย 1 คน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/print_export.py" line="54" />
        <source>Print…</source>
        <translation>พิมพ์…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/print_export.py" line="56" />
        <source>Export PDF…</source>
        <translation>ส่งออก PDF…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/print_export.py" line="68" />
        <source>The printed form is not available in this version</source>
        <translation>รุ่นนี้ยังพิมพ์แบบบันทึกไม่ได้</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/print_export.py" line="78" />
        <source>The form could not be made</source>
        <translation>สร้างแบบบันทึกไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/print_export.py" line="88" />
        <source>Export PDF</source>
        <translation>ส่งออก PDF</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/print_export.py" line="89" />
        <source>PDF files (*.pdf)</source>
        <translation>ไฟล์ PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/settings_dialog.py" line="39" />
        <source>Office logo</source>
        <translation>ตราสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/settings_dialog.py" line="40" />
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>รูปภาพ (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/settings_dialog.py" line="45" />
        <source>Data folder</source>
        <translation>โฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sign_dialog.py" line="23" />
        <source>Inspector (competent official)</source>
        <translation>พนักงานเจ้าหน้าที่ (ผู้ตรวจ)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sign_dialog.py" line="24" />
        <source>Factory representative</source>
        <translation>ผู้แทนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sign_dialog.py" line="24" />
        <source>Witness</source>
        <translation>พยาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sign_dialog.py" line="74" />
        <source>Type the signer's name</source>
        <translation>พิมพ์ชื่อผู้ลงนาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sign_dialog.py" line="79" />
        <source>A refusal needs a reason and a witness</source>
        <translation>การปฏิเสธการลงนามต้องมีเหตุผลและพยาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sign_dialog.py" line="86" />
        <source>Sign in the box first</source>
        <translation>ลงลายมือชื่อในกรอบก่อน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signatures_panel.py" line="52" />
        <source>Sign…</source>
        <translation>ลงนาม…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signatures_panel.py" line="94" />
        <source>Not signed yet</source>
        <translation>ยังไม่ได้ลงนาม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signatures_panel.py" line="97" />
        <source>%1 refused to sign. Reason: %2. Witness: %3. %4</source>
        <translation>%1 ปฏิเสธการลงนาม เหตุผล: %2 พยาน: %3 %4</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/signatures_panel.py" line="112" />
        <source>The record changed after signing: sign again</source>
        <translation>บันทึกถูกแก้ไขหลังลงนาม ต้องลงนามใหม่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync_status.py" line="36" />
        <source>%1 changes waiting to sync</source>
        <translation>มี %1 รายการรอส่งข้อมูล</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync_status.py" line="37" />
        <source>Everything is synced</source>
        <translation>ส่งข้อมูลครบแล้ว</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync_status.py" line="39" />
        <source>last sync %1</source>
        <translation>ส่งข้อมูลล่าสุด %1</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/sync_status.py" line="41" />
        <source>not synced yet</source>
        <translation>ยังไม่เคยส่งข้อมูล</translation>
    </message>
</context>
<context>
    <name>FactoryStatus</name>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="225" />
        <source>Licensed, not yet operating</source>
        <translation>ได้รับอนุญาต ยังไม่ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="226" />
        <source>Operating</source>
        <translation>ประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="227" />
        <source>Struck off</source>
        <translation>แจ้งเลิก/จำหน่ายทะเบียน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="228" />
        <source>Stopped</source>
        <translation>หยุดประกอบกิจการ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="230" />
        <source>Unknown</source>
        <translation>ไม่ทราบ</translation>
    </message>
</context>
<context>
    <name>FactoryTable</name>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="212" />
        <source>Factory name</source>
        <translation>ชื่อโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="213" />
        <source>Factory ID</source>
        <translation>เลขทะเบียนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="214" />
        <source>Old registration no.</source>
        <translation>เลขทะเบียนเดิม</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="215" />
        <source>Sub-district / district / province</source>
        <translation>ตำบล / อำเภอ / จังหวัด</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/factory_model.py" line="217" />
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldapp/gui/app.py" line="126" />
        <source>Loading demo data…</source>
        <translation>กำลังโหลดข้อมูลตัวอย่าง…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="9" />
        <source>FieldApp — factory inspections</source>
        <translation>FieldApp — การตรวจโรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="25" />
        <source>Factories</source>
        <translation>โรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="32" />
        <source>Search by name, operator, factory ID, registration number or address</source>
        <translation>ค้นหาด้วยชื่อ ผู้ประกอบกิจการ เลขทะเบียนโรงงาน เลขทะเบียนเดิม หรือที่ตั้ง</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="68" />
        <source>Past inspections</source>
        <translation>ประวัติการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="77" />
        <source>New inspection…</source>
        <translation>เริ่มการตรวจใหม่…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="93" />
        <source>Inspections</source>
        <translation>การตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="99" />
        <source>Show:</source>
        <translation>แสดง:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="113" />
        <source>Open</source>
        <translation>ยังไม่แก้ไข</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="138" />
        <source>&amp;File</source>
        <translation>แ&amp;ฟ้ม</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="148" />
        <source>Import factory registry…</source>
        <translation>นำเข้าทะเบียนโรงงาน…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="151" />
        <source>Settings…</source>
        <translation>ตั้งค่า…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.ui" line="154" />
        <source>Quit</source>
        <translation>ออก</translation>
    </message>
</context>
<context>
    <name>NewInspectionDialog</name>
    <message>
        <location filename="../../ui/new_inspection.ui" line="6" />
        <source>New inspection</source>
        <translation>เริ่มการตรวจใหม่</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="16" />
        <source>Checklist</source>
        <translation>รายการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="18" />
        <source>Inspection type</source>
        <translation>ประเภทการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="20" />
        <source>Date and time</source>
        <translation>วันและเวลา</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="27" />
        <source>Purpose</source>
        <translation>วัตถุประสงค์</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="32" />
        <source>Inspectors</source>
        <translation>พนักงานเจ้าหน้าที่</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="38" />
        <source>Add inspector</source>
        <translation>เพิ่มพนักงานเจ้าหน้าที่</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="41" />
        <source>Factory representatives</source>
        <translation>ผู้แทนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="47" />
        <source>Add representative</source>
        <translation>เพิ่มผู้แทนโรงงาน</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="58" />
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/new_inspection.ui" line="59" />
        <source>Start inspection</source>
        <translation>เริ่มตรวจ</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="93" />
        <source>Add photo…</source>
        <translation>เพิ่มภาพถ่าย…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="94" />
        <source>Add a photo from a file, or drop image files here</source>
        <translation>เพิ่มภาพถ่ายจากไฟล์ หรือลากไฟล์รูปมาวางที่นี่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="142" />
        <source>Photo not added</source>
        <translation>เพิ่มภาพถ่ายไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="149" />
        <source>Add photos</source>
        <translation>เพิ่มภาพถ่าย</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="149" />
        <source>Images (*.jpg *.jpeg *.png *.webp)</source>
        <translation>รูปภาพ (*.jpg *.jpeg *.png *.webp)</translation>
    </message>
</context>
<context>
    <name>PhotoTile</name>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="62" />
        <source>Caption</source>
        <translation>คำบรรยายภาพ</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/photos.py" line="65" />
        <source>Remove photo</source>
        <translation>ลบภาพถ่าย</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="6" />
        <source>Settings</source>
        <translation>ตั้งค่า</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="10" />
        <source>Inspector name</source>
        <translation>ชื่อพนักงานเจ้าหน้าที่</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="12" />
        <source>Position</source>
        <translation>ตำแหน่ง</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="14" />
        <source>Office name</source>
        <translation>ชื่อสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="16" />
        <source>Office logo</source>
        <translation>ตราสำนักงาน</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="20" />
        <location filename="../../ui/settings_dialog.ui" line="29" />
        <source>Choose…</source>
        <translation>เลือก…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="23" />
        <source>Language</source>
        <translation>ภาษา</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="25" />
        <source>Data folder</source>
        <translation>โฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="32" />
        <source>Server address</source>
        <translation>ที่อยู่เซิร์ฟเวอร์</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="38" />
        <source>A new language or data folder takes effect when FieldApp starts again.</source>
        <translation>ภาษาหรือโฟลเดอร์ข้อมูลใหม่จะมีผลเมื่อเปิดโปรแกรมครั้งถัดไป</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="45" />
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="46" />
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="6" />
        <source>Sign the inspection record</source>
        <translation>ลงนามในบันทึกการตรวจ</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="10" />
        <source>Name</source>
        <translation>ชื่อ-นามสกุล</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="12" />
        <source>Role</source>
        <translation>ฐานะ</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="14" />
        <source>Time</source>
        <translation>เวลา</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="30" />
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="31" />
        <source>Undo stroke</source>
        <translation>ย้อนเส้น</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="32" />
        <source>Redo stroke</source>
        <translation>คืนเส้น</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="38" />
        <source>The factory representative refused to sign</source>
        <translation>ผู้แทนโรงงานปฏิเสธการลงนาม</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="44" />
        <source>Reason</source>
        <translation>เหตุผล</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="46" />
        <source>Witness</source>
        <translation>พยาน</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="60" />
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../ui/sign_dialog.ui" line="61" />
        <source>Save signature</source>
        <translation>บันทึกลายมือชื่อ</translation>
    </message>
</context>
<context>
    <name>ThaiDateEdit</name>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="77" />
        <source>e.g. 21/12/2566</source>
        <translation>เช่น 21/12/2566</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="81" />
        <source>Choose a date</source>
        <translation>เลือกวันที่</translation>
    </message>
    <message>
        <location filename="../../fieldapp/gui/thai_date_edit.py" line="121" />
        <source>Not a date. Type e.g. 21/12/2566</source>
        <translation>ไม่ใช่วันที่ พิมพ์ เช่น 21/12/2566</translation>
    </message>
</context>
</TS>