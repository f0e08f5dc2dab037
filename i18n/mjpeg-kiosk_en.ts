<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CameraTile</name>
    <message numerus="yes">
        <location filename="../qml/CameraTile.qml" line="98"/>
        <source>%n viewer(s)</source>
        <translation>
            <numerusform>%n viewer</numerusform>
            <numerusform>%n viewers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message numerus="yes">
        <location filename="../qml/SettingsPanel.qml" line="48"/>
        <source>Not applied: %n value(s) refused</source>
        <translation>
            <numerusform>Not applied: %n value refused</numerusform>
            <numerusform>Not applied: %n values refused</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusBanner</name>
    <message numerus="yes">
        <location filename="../qml/StatusBanner.qml" line="46"/>
        <source>%n viewer(s)</source>
        <translation>
            <numerusform>%n viewer</numerusform>
            <numerusform>%n viewers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ViewerList</name>
    <message numerus="yes">
        <location filename="../qml/ViewerList.qml" line="15"/>
        <source>%n viewer(s)</source>
        <translation>
            <numerusform>%n viewer</numerusform>
            <numerusform>%n viewers</numerusform>
        </translation>
    </message>
</context>
</TS>
