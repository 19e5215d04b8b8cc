' VBScript under Wine's cscript: openfsi's extensions for scripts. An IStream from
' MsftIsoImageManager is written to a file with OpenFsi.StreamWriter; Update events reach the
' methods "w_" + event name of a VBScript class instance through OpenFsi.EventConnector; a
' failure sets Err.Number. Any mismatch ends the script with exit code 1.
Option Explicit

Const HRESULT_PATH_NOT_FOUND = &H80070003
Const E_INVALIDARG = &H80070057
Const MIB = 1048576

Sub Fail(message)
    WScript.Echo "FAIL: " & message
    WScript.Quit 1
End Sub

Sub Expect(actual, expected, what)
    If actual <> expected Then Fail what & ": expected " & expected & ", got " & actual
End Sub

Class ProgressHandler
    Public Updates
    Public LastCopied
    Public LastTotal
    Public Sub w_Update(source, copiedSectors, totalSectors)
        Updates = Updates + 1
        LastCopied = copiedSectors
        LastTotal = totalSectors
    End Sub
End Class

Dim fso, folder, source, target, file, content, i
Set fso = CreateObject("Scripting.FileSystemObject")
' A folder of this run's own: the 64- and 32-bit runs of this script may overlap in one prefix.
folder = fso.GetSpecialFolder(2).Path & "\" & fso.GetTempName()
fso.CreateFolder folder
source = folder & "\openfsi_vbs_source.bin"
target = folder & "\openfsi_vbs_target.bin"

' 9 MiB of numbered 64-byte lines.
content = ""
For i = 0 To 1023
    content = content & Right("00000" & i, 5) & "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU" & vbCrLf
Next
Set file = fso.CreateTextFile(source, True)
For i = 1 To 144
    file.Write content
Next
file.Close
Expect fso.GetFile(source).Size, 9 * MIB, "source size"

Dim manager, writer, connector, handler
Set manager = CreateObject("IMAPI2FS.MsftIsoImageManager")
manager.SetPath source
Set writer = CreateObject("OpenFsi.StreamWriter")
Set connector = CreateObject("OpenFsi.EventConnector")
Set handler = New ProgressHandler
handler.Updates = 0
connector.ConnectObject writer, handler, "w_"

If fso.FileExists(target) Then fso.DeleteFile target
writer.WriteToFile manager.Stream, target
Expect writer.BytesWritten, 9 * MIB, "BytesWritten"
Expect fso.GetFile(target).Size, 9 * MIB, "target size"
' Compare with what was written to the source, 64 KiB at a time (the image manager holds the
' source open, so it is not read again).
Dim reader, writtenText
Set reader = fso.OpenTextFile(target, 1)
writtenText = reader.ReadAll()
reader.Close
Expect Len(writtenText), 9 * MIB, "length of the written text"
For i = 0 To 143
    If Mid(writtenText, i * Len(content) + 1, Len(content)) <> content Then
        Fail "the written file differs from the source in block " & i
    End If
Next
Expect handler.Updates, 2, "Update events (at 8 MiB and at the end)"
Expect handler.LastCopied, 9 * MIB / 2048, "copiedSectors at the end"
Expect handler.LastTotal, 9 * MIB / 2048, "totalSectors at the end"

Dim number, description
manager.SetPath source
On Error Resume Next
writer.WriteToFile manager.Stream, folder & "\openfsi_no_such_dir\out.bin"
number = Err.Number
description = Err.Description
On Error GoTo 0
Expect number, HRESULT_PATH_NOT_FOUND, "Err.Number for a missing directory"
If InStr(description, "openfsi_no_such_dir") = 0 Then Fail "Err.Description: " & description

On Error Resume Next
writer.WriteToFile handler, target
number = Err.Number
On Error GoTo 0
Expect number, E_INVALIDARG, "Err.Number for an argument that is not a stream"

connector.DisconnectObject writer
handler.Updates = 0
manager.SetPath source
writer.WriteToFile manager.Stream, target
Expect handler.Updates, 0, "Update events after DisconnectObject"

' The source stays: the image manager holds it open until the script ends.
fso.DeleteFile target
WScript.Echo "OPENFSI SCRIPT PASSED"
