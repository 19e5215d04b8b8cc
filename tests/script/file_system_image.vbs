' VBScript under Wine's cscript, as scripts use Microsoft's imapi2fs.dll: CreateObject by ProgID,
' VolumeName round trip, FileSystemsSupported, and Err.Number for a refused value. Any mismatch
' ends the script with exit code 1.
Option Explicit

Const IMAPI_E_INVALID_VOLUME_NAME = &HC0AAB104
Const FsiFileSystemISO9660 = 1, FsiFileSystemJoliet = 2, FsiFileSystemUDF = 4

Sub Fail(message)
    WScript.Echo "FAIL: " & message
    WScript.Quit 1
End Sub

Sub Expect(actual, expected, what)
    If actual <> expected Then Fail what & ": expected " & expected & ", got " & actual
End Sub

Dim image, boot, number, description
Set image = CreateObject("IMAPI2FS.MsftFileSystemImage")
image.VolumeName = "VBSCRIPT_DISC"
Expect image.VolumeName, "VBSCRIPT_DISC", "VolumeName"
Expect image.FileSystemsSupported, FsiFileSystemISO9660 Or FsiFileSystemJoliet Or FsiFileSystemUDF, _
       "FileSystemsSupported"

On Error Resume Next
image.VolumeName = "A volume label much longer than thirty-two characters"
number = Err.Number
description = Err.Description
On Error GoTo 0
Expect number, IMAPI_E_INVALID_VOLUME_NAME, "Err.Number"
If InStr(description, "32 characters") = 0 Then Fail "Err.Description: " & description
Expect image.VolumeName, "VBSCRIPT_DISC", "VolumeName after a refused change"

Set boot = CreateObject("IMAPI2FS.BootOptions.1")
boot.PlatformId = &HEF
Expect boot.PlatformId, &HEF, "BootOptions.PlatformId"

WScript.Echo "OPENFSI SCRIPT PASSED"
