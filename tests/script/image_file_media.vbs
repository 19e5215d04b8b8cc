' VBScript under Wine's cscript: OpenFsi.ImageFileMedia (an openfsi extension) as write-once
' media for two sessions, as image_file_media.js does in JScript: session 1 from a folder
' (AddTree) and a file (AddFile from an IStream), session 2 through MultisessionInterfaces,
' ImportFileSystem, a removed file and an added folder, each written with media.Write; a fresh
' import then checks FileCount, Exists and sizes. Any mismatch ends the script with exit code 1.
Option Explicit
Const FsiItemNotFound = 0, FsiItemDirectory = 1, FsiItemFile = 2
Const IMAPI_E_IMPORT_SEEK_FAILURE = &HC0AAB156

Sub Fail(message)
    WScript.Echo "FAIL: " & message
    WScript.Quit 1
End Sub

Sub Expect(actual, expected, what)
    If actual <> expected Then Fail what & ": expected " & expected & ", got " & actual
End Sub

Sub WriteText(path, text)
    Dim file
    Set file = fso.CreateTextFile(path, True)
    file.Write text
    file.Close
End Sub

Dim fso, temp, image, first, second, i, big, media, fsi, result, firstEnd, check, manager
Set fso = CreateObject("Scripting.FileSystemObject")
' A folder of this run's own: the 64- and 32-bit runs of this script may overlap in one prefix.
temp = fso.GetSpecialFolder(2).Path & "\" & fso.GetTempName()
fso.CreateFolder temp
image = temp & "\openfsi_media_vbs.iso"
first = temp & "\openfsi_media_vbs_1"
second = temp & "\openfsi_media_vbs_2"
If fso.FolderExists(first) Then fso.DeleteFolder first, True
If fso.FolderExists(second) Then fso.DeleteFolder second, True
If fso.FileExists(image) Then fso.DeleteFile image
fso.CreateFolder first
fso.CreateFolder first & "\docs"
fso.CreateFolder second
fso.CreateFolder second & "\more"
WriteText first & "\a.txt", "first a" & vbCrLf
WriteText first & "\old.txt", "to be removed" & vbCrLf
big = ""
For i = 0 To 2999
    big = big & "line " & i & " of b.txt, kept from session 1" & vbCrLf
Next
WriteText first & "\docs\b.txt", big
WriteText second & "\a.txt", "second a, longer than the first" & vbCrLf
WriteText second & "\more\c.txt", "new in session 2" & vbCrLf
WriteText temp & "\openfsi_media_vbs_extra.txt", "extra" & vbCrLf

Set media = CreateObject("OpenFsi.ImageFileMedia")
media.Open image, False
Expect media.IsBlank, True, "IsBlank before session 1"

' Session 1: blank write-once media has no session to import.
Set fsi = CreateObject("IMAPI2FS.MsftFileSystemImage")
On Error Resume Next
fsi.MultisessionInterfaces = media.MultisessionInterfaces
Expect Err.Number, IMAPI_E_IMPORT_SEEK_FAILURE, "MultisessionInterfaces on blank media"
On Error GoTo 0
fsi.FileSystemsToCreate = 3
fsi.VolumeName = "MEDIAVBS"
fsi.Root.AddTree first, False
Set manager = CreateObject("IMAPI2FS.MsftIsoImageManager")
manager.SetPath temp & "\openfsi_media_vbs_extra.txt"
fsi.Root.AddFile "extra.txt", manager.Stream
Set result = fsi.CreateResultImage()
media.Write result.ImageStream
Expect media.SectorsWritten, result.TotalBlocks, "SectorsWritten of session 1"
Expect media.NextWritableAddress, result.TotalBlocks, "NextWritableAddress after session 1"
firstEnd = media.NextWritableAddress

' Session 2.
Set fsi = CreateObject("IMAPI2FS.MsftFileSystemImage")
fsi.MultisessionInterfaces = media.MultisessionInterfaces
Expect fsi.ImportFileSystem(), 2, "ImportFileSystem (Joliet)"
Expect fsi.SessionStartBlock, firstEnd, "SessionStartBlock"
fsi.VolumeName = "MEDIAVBS"
fsi.Root.Remove "old.txt"
fsi.Root.AddTree second, False
Set result = fsi.CreateResultImage()
media.Write result.ImageStream
Expect media.NextWritableAddress, firstEnd + result.TotalBlocks, "NextWritableAddress after 2"
If media.SectorsWritten * 2048 >= fso.GetFile(first & "\docs\b.txt").Size Then
    Fail "session 2 copied b.txt"
End If

' A fresh import.
Set check = CreateObject("IMAPI2FS.MsftFileSystemImage")
check.MultisessionInterfaces = media.MultisessionInterfaces
check.ImportFileSystem
Expect check.FileCount, 4, "FileCount"
Expect check.DirectoryCount, 2, "DirectoryCount"
Expect check.Exists("\old.txt"), FsiItemNotFound, "old.txt removed"
Expect check.Exists("\more"), FsiItemDirectory, "more"
Expect check.Exists("\more\c.txt"), FsiItemFile, "more\c.txt"
Expect check.Root.Item("a.txt").DataSize32BitLow, fso.GetFile(second & "\a.txt").Size, "a.txt"
Expect check.Root.Item("docs\b.txt").DataSize32BitLow, fso.GetFile(first & "\docs\b.txt").Size, _
       "docs\b.txt"
Expect check.Root.Item("extra.txt").DataSize32BitLow, 7, "extra.txt"
Expect check.ImportedVolumeName, "MEDIAVBS", "ImportedVolumeName"
media.Close
' Let go of the streams over the extra file before it is deleted.
Set result = Nothing
Set fsi = Nothing
Set check = Nothing
Set manager = Nothing
fso.DeleteFile image
fso.DeleteFile temp & "\openfsi_media_vbs_extra.txt"
fso.DeleteFolder first, True
fso.DeleteFolder second, True
' A stream the script still holds may keep a file open: then the folder stays.
On Error Resume Next
fso.DeleteFolder temp, True
On Error GoTo 0
WScript.Echo "OPENFSI SCRIPT PASSED"
