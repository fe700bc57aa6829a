# Compiled from ui/main_window.ui by `python -m fieldapp.gui.ui_compile`: edit the
# .ui file in Designer and compile again, never this file.
# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QMainWindow, QMenu, QMenuBar, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QStackedWidget, QStatusBar, QTabWidget, QTableView, QTableWidget, QTextBrowser, QVBoxLayout, QWidget

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1200, 760)
        self.importRegistryAction = QAction(MainWindow)
        self.importRegistryAction.setObjectName(u"importRegistryAction")
        self.settingsAction = QAction(MainWindow)
        self.settingsAction.setObjectName(u"settingsAction")
        self.printBlankFormAction = QAction(MainWindow)
        self.printBlankFormAction.setObjectName(u"printBlankFormAction")
        self.previewChecklistAction = QAction(MainWindow)
        self.previewChecklistAction.setObjectName(u"previewChecklistAction")
        self.backupAction = QAction(MainWindow)
        self.backupAction.setObjectName(u"backupAction")
        self.restoreAction = QAction(MainWindow)
        self.restoreAction.setObjectName(u"restoreAction")
        self.removeDemoAction = QAction(MainWindow)
        self.removeDemoAction.setObjectName(u"removeDemoAction")
        self.syncNowAction = QAction(MainWindow)
        self.syncNowAction.setObjectName(u"syncNowAction")
#if QT_CONFIG(shortcut)
        self.syncNowAction.setShortcut(u"F5")
#endif // QT_CONFIG(shortcut)
        self.rejectedAction = QAction(MainWindow)
        self.rejectedAction.setObjectName(u"rejectedAction")
        self.loginAction = QAction(MainWindow)
        self.loginAction.setObjectName(u"loginAction")
        self.quitAction = QAction(MainWindow)
        self.quitAction.setObjectName(u"quitAction")
#if QT_CONFIG(shortcut)
        self.quitAction.setShortcut(u"Ctrl+Q")
#endif // QT_CONFIG(shortcut)
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QVBoxLayout(self.centralWidget)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.demoBanner = QFrame(self.centralWidget)
        self.demoBanner.setObjectName(u"demoBanner")
        self.demoBanner.setVisible(False)
        self.demoBanner.setStyleSheet(u"QFrame#demoBanner { background: #fff3cd; border-bottom: 1px solid #e0c36a; }")
        self.demoBannerLayout = QHBoxLayout(self.demoBanner)
        self.demoBannerLayout.setObjectName(u"demoBannerLayout")
        self.demoBannerText = QLabel(self.demoBanner)
        self.demoBannerText.setObjectName(u"demoBannerText")
        self.demoBannerText.setWordWrap(True)

        self.demoBannerLayout.addWidget(self.demoBannerText)

        self.removeDemoButton = QPushButton(self.demoBanner)
        self.removeDemoButton.setObjectName(u"removeDemoButton")

        self.demoBannerLayout.addWidget(self.removeDemoButton)

        self.demoBannerLayout.setStretch(0, 1)

        self.centralLayout.addWidget(self.demoBanner)

        self.pages = QStackedWidget(self.centralWidget)
        self.pages.setObjectName(u"pages")
        self.homePage = QWidget()
        self.homePage.setObjectName(u"homePage")
        self.homeLayout = QVBoxLayout(self.homePage)
        self.homeLayout.setObjectName(u"homeLayout")
        self.mainTabs = QTabWidget(self.homePage)
        self.mainTabs.setObjectName(u"mainTabs")
        self.factoriesTab = QWidget()
        self.factoriesTab.setObjectName(u"factoriesTab")
        self.factoriesLayout = QVBoxLayout(self.factoriesTab)
        self.factoriesLayout.setObjectName(u"factoriesLayout")
        self.searchRow = QHBoxLayout()
        self.searchRow.setObjectName(u"searchRow")
        self.factorySearch = QLineEdit(self.factoriesTab)
        self.factorySearch.setObjectName(u"factorySearch")
        self.factorySearch.setClearButtonEnabled(True)

        self.searchRow.addWidget(self.factorySearch)

        self.provinceFilter = QComboBox(self.factoriesTab)
        self.provinceFilter.setObjectName(u"provinceFilter")
        self.provinceFilter.setMinimumContentsLength(14)

        self.searchRow.addWidget(self.provinceFilter)

        self.statusFilter = QComboBox(self.factoriesTab)
        self.statusFilter.setObjectName(u"statusFilter")
        self.statusFilter.setMinimumContentsLength(14)

        self.searchRow.addWidget(self.statusFilter)


        self.factoriesLayout.addLayout(self.searchRow)

        self.factorySplitter = QSplitter(self.factoriesTab)
        self.factorySplitter.setObjectName(u"factorySplitter")
        self.factorySplitter.setOrientation(Qt.Horizontal)
        self.factoryTable = QTableView(self.factorySplitter)
        self.factoryTable.setObjectName(u"factoryTable")
        self.factoryTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.factoryTable.setSelectionMode(QAbstractItemView.SingleSelection)
        self.factoryTable.setAlternatingRowColors(True)
        self.factoryTable.setWordWrap(False)
        self.factoryTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.factorySplitter.addWidget(self.factoryTable)
        self.factoryDetailPanel = QWidget(self.factorySplitter)
        self.factoryDetailPanel.setObjectName(u"factoryDetailPanel")
        self.detailLayout = QVBoxLayout(self.factoryDetailPanel)
        self.detailLayout.setObjectName(u"detailLayout")
        self.detailLayout.setContentsMargins(0, 0, 0, 0)
        self.factoryDetail = QTextBrowser(self.factoryDetailPanel)
        self.factoryDetail.setObjectName(u"factoryDetail")
        self.factoryDetail.setOpenExternalLinks(False)

        self.detailLayout.addWidget(self.factoryDetail)

        self.pastInspectionsLabel = QLabel(self.factoryDetailPanel)
        self.pastInspectionsLabel.setObjectName(u"pastInspectionsLabel")

        self.detailLayout.addWidget(self.pastInspectionsLabel)

        self.factoryInspections = QListWidget(self.factoryDetailPanel)
        self.factoryInspections.setObjectName(u"factoryInspections")

        self.detailLayout.addWidget(self.factoryInspections)

        self.newInspectionButton = QPushButton(self.factoryDetailPanel)
        self.newInspectionButton.setObjectName(u"newInspectionButton")
        self.newInspectionButton.setEnabled(False)
        self.newInspectionButton.setMinimumSize(QSize(0, 44))

        self.detailLayout.addWidget(self.newInspectionButton)

        self.factorySplitter.addWidget(self.factoryDetailPanel)

        self.factoriesLayout.addWidget(self.factorySplitter)

        self.resultCount = QLabel(self.factoriesTab)
        self.resultCount.setObjectName(u"resultCount")

        self.factoriesLayout.addWidget(self.resultCount)

        self.factoriesLayout.setStretch(1, 1)
        self.mainTabs.addTab(self.factoriesTab, "")
        self.inspectionsTab = QWidget()
        self.inspectionsTab.setObjectName(u"inspectionsTab")
        self.inspectionsLayout = QVBoxLayout(self.inspectionsTab)
        self.inspectionsLayout.setObjectName(u"inspectionsLayout")
        self.inspectionFilterRow = QHBoxLayout()
        self.inspectionFilterRow.setObjectName(u"inspectionFilterRow")
        self.inspectionStateLabel = QLabel(self.inspectionsTab)
        self.inspectionStateLabel.setObjectName(u"inspectionStateLabel")

        self.inspectionFilterRow.addWidget(self.inspectionStateLabel)

        self.inspectionStateFilter = QComboBox(self.inspectionsTab)
        self.inspectionStateFilter.setObjectName(u"inspectionStateFilter")

        self.inspectionFilterRow.addWidget(self.inspectionStateFilter)

        self.inspectionFilterSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.inspectionFilterRow.addItem(self.inspectionFilterSpacer)

        self.openInspectionButton = QPushButton(self.inspectionsTab)
        self.openInspectionButton.setObjectName(u"openInspectionButton")
        self.openInspectionButton.setEnabled(False)

        self.inspectionFilterRow.addWidget(self.openInspectionButton)


        self.inspectionsLayout.addLayout(self.inspectionFilterRow)

        self.inspectionList = QTableWidget(self.inspectionsTab)
        self.inspectionList.setObjectName(u"inspectionList")
        self.inspectionList.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.inspectionList.setSelectionMode(QAbstractItemView.SingleSelection)
        self.inspectionList.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.inspectionList.setAlternatingRowColors(True)

        self.inspectionsLayout.addWidget(self.inspectionList)

        self.mainTabs.addTab(self.inspectionsTab, "")
        self.returnedTab = QWidget()
        self.returnedTab.setObjectName(u"returnedTab")
        self.returnedLayout = QVBoxLayout(self.returnedTab)
        self.returnedLayout.setObjectName(u"returnedLayout")
        self.returnedRow = QHBoxLayout()
        self.returnedRow.setObjectName(u"returnedRow")
        self.returnedHint = QLabel(self.returnedTab)
        self.returnedHint.setObjectName(u"returnedHint")
        self.returnedHint.setWordWrap(True)

        self.returnedRow.addWidget(self.returnedHint)

        self.amendReturnedButton = QPushButton(self.returnedTab)
        self.amendReturnedButton.setObjectName(u"amendReturnedButton")
        self.amendReturnedButton.setEnabled(False)
        self.amendReturnedButton.setMinimumSize(QSize(0, 38))

        self.returnedRow.addWidget(self.amendReturnedButton)


        self.returnedLayout.addLayout(self.returnedRow)

        self.returnedList = QTableWidget(self.returnedTab)
        self.returnedList.setObjectName(u"returnedList")
        self.returnedList.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.returnedList.setSelectionMode(QAbstractItemView.SingleSelection)
        self.returnedList.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.returnedList.setAlternatingRowColors(True)
        self.returnedList.setWordWrap(True)

        self.returnedLayout.addWidget(self.returnedList)

        self.returnedComment = QLabel(self.returnedTab)
        self.returnedComment.setObjectName(u"returnedComment")
        self.returnedComment.setWordWrap(True)
        self.returnedComment.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.returnedLayout.addWidget(self.returnedComment)

        self.mainTabs.addTab(self.returnedTab, "")
        self.planTab = QWidget()
        self.planTab.setObjectName(u"planTab")
        self.planLayout = QVBoxLayout(self.planTab)
        self.planLayout.setObjectName(u"planLayout")
        self.planRow = QHBoxLayout()
        self.planRow.setObjectName(u"planRow")
        self.planHint = QLabel(self.planTab)
        self.planHint.setObjectName(u"planHint")
        self.planHint.setWordWrap(True)

        self.planRow.addWidget(self.planHint)

        self.startPlanButton = QPushButton(self.planTab)
        self.startPlanButton.setObjectName(u"startPlanButton")
        self.startPlanButton.setEnabled(False)
        self.startPlanButton.setMinimumSize(QSize(0, 38))

        self.planRow.addWidget(self.startPlanButton)


        self.planLayout.addLayout(self.planRow)

        self.planList = QTableWidget(self.planTab)
        self.planList.setObjectName(u"planList")
        self.planList.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.planList.setSelectionMode(QAbstractItemView.SingleSelection)
        self.planList.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.planList.setAlternatingRowColors(True)
        self.planList.setWordWrap(True)

        self.planLayout.addWidget(self.planList)

        self.mainTabs.addTab(self.planTab, "")

        self.homeLayout.addWidget(self.mainTabs)

        self.pages.addWidget(self.homePage)

        self.centralLayout.addWidget(self.pages)

        MainWindow.setCentralWidget(self.centralWidget)
        self.menuBar = QMenuBar(MainWindow)
        self.menuBar.setObjectName(u"menuBar")
        self.fileMenu = QMenu(self.menuBar)
        self.fileMenu.setObjectName(u"fileMenu")
        self.syncMenu = QMenu(self.menuBar)
        self.syncMenu.setObjectName(u"syncMenu")
        MainWindow.setMenuBar(self.menuBar)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        MainWindow.setStatusBar(self.statusBar)

        self.menuBar.addAction(self.fileMenu.menuAction())
        self.menuBar.addAction(self.syncMenu.menuAction())
        self.fileMenu.addAction(self.importRegistryAction)
        self.fileMenu.addAction(self.printBlankFormAction)
        self.fileMenu.addAction(self.previewChecklistAction)
        self.fileMenu.addSeparator()
        self.fileMenu.addAction(self.backupAction)
        self.fileMenu.addAction(self.restoreAction)
        self.fileMenu.addAction(self.removeDemoAction)
        self.fileMenu.addSeparator()
        self.fileMenu.addAction(self.settingsAction)
        self.fileMenu.addSeparator()
        self.fileMenu.addAction(self.quitAction)
        self.syncMenu.addAction(self.syncNowAction)
        self.syncMenu.addAction(self.loginAction)
        self.syncMenu.addAction(self.rejectedAction)

        self.retranslateUi(MainWindow)

        self.mainTabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"FieldApp \u2014 factory inspections", None))
        self.importRegistryAction.setText(QCoreApplication.translate("MainWindow", u"Import factory registry\u2026", None))
        self.settingsAction.setText(QCoreApplication.translate("MainWindow", u"Settings\u2026", None))
        self.printBlankFormAction.setText(QCoreApplication.translate("MainWindow", u"Print a blank form\u2026", None))
        self.previewChecklistAction.setText(QCoreApplication.translate("MainWindow", u"Preview a checklist file\u2026", None))
        self.backupAction.setText(QCoreApplication.translate("MainWindow", u"Back up data\u2026", None))
        self.restoreAction.setText(QCoreApplication.translate("MainWindow", u"Restore from a backup\u2026", None))
        self.removeDemoAction.setText(QCoreApplication.translate("MainWindow", u"Remove demo data\u2026", None))
        self.syncNowAction.setText(QCoreApplication.translate("MainWindow", u"Sync now", None))
        self.rejectedAction.setText(QCoreApplication.translate("MainWindow", u"Changes the server refused\u2026", None))
        self.loginAction.setText(QCoreApplication.translate("MainWindow", u"Log in to the office server\u2026", None))
        self.quitAction.setText(QCoreApplication.translate("MainWindow", u"Quit", None))
        self.demoBannerText.setText(QCoreApplication.translate("MainWindow", u"Demo data: the factories and inspections shown are made up for practice. Remove them before real work.", None))
        self.removeDemoButton.setText(QCoreApplication.translate("MainWindow", u"Remove demo data\u2026", None))
        self.factorySearch.setPlaceholderText(QCoreApplication.translate("MainWindow", u"Search by name, operator, factory ID, registration number or address", None))
        self.pastInspectionsLabel.setText(QCoreApplication.translate("MainWindow", u"Past inspections", None))
        self.newInspectionButton.setText(QCoreApplication.translate("MainWindow", u"New inspection\u2026", None))
        self.resultCount.setText("")
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.factoriesTab), QCoreApplication.translate("MainWindow", u"Factories", None))
        self.inspectionStateLabel.setText(QCoreApplication.translate("MainWindow", u"Show:", None))
        self.openInspectionButton.setText(QCoreApplication.translate("MainWindow", u"Open", None))
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.inspectionsTab), QCoreApplication.translate("MainWindow", u"Inspections", None))
        self.returnedHint.setText(QCoreApplication.translate("MainWindow", u"Records the office returned for correction. Answer each with an amendment; it leaves this list when the amendment is finalized.", None))
        self.amendReturnedButton.setText(QCoreApplication.translate("MainWindow", u"Amend", None))
        self.returnedComment.setText("")
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.returnedTab), QCoreApplication.translate("MainWindow", u"Returned to me", None))
        self.planHint.setText(QCoreApplication.translate("MainWindow", u"Inspections the office planned for you, by date. Double-click a plan to start its inspection.", None))
        self.startPlanButton.setText(QCoreApplication.translate("MainWindow", u"Start inspection", None))
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.planTab), QCoreApplication.translate("MainWindow", u"My plan", None))
        self.fileMenu.setTitle(QCoreApplication.translate("MainWindow", u"&File", None))
        self.syncMenu.setTitle(QCoreApplication.translate("MainWindow", u"S&ync", None))
    # retranslateUi


def create(parent=None, widget_class=QMainWindow):
    """A new QMainWindow (or ``widget_class``, a subclass of it) laid out as
    ui/main_window.ui."""
    widget = widget_class(parent)
    widget._layout = Ui_MainWindow()
    widget._layout.setupUi(widget)
    return widget
