' VBScript under Wine's cscript: OpenFsi.ImageFileMedia as rewritable media (DVD+RW) with UDF
' alone, three sessions. Session 1 is written whole; sessions 2 and 3 import the disc, add a
' folder, remove a file, and media.Write writes only the result's ModifiedBlocks, which the
' script prints. A fresh import checks FileCount, Exists and sizes after each session.
Option Explicit

Const FsiItemNotFound = 0, FsiItemDirectory = 1, FsiItemFile = 2
Const FsiFileSystemUDF = 4

Dim fso, temp, image, folder, media, fsi, check, result, session, source, rangeText
Dim listed, count, range, expectedFiles

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

Set fso = CreateObject("Scripting.FileSystemObject")
' A folder of this run's own: the 64- and 32-bit runs of this script may overlap in one prefix.
temp = fso.GetSpecialFolder(2).Path & "\" & fso.GetTempName()
fso.CreateFolder temp
image = temp & "\openfsi_rewritable_vbs.udf"
folder = temp & "\openfsi_rewritable_vbs"
If fso.FileExists(image) Then fso.DeleteFile image
If fso.FolderExists(folder) Then fso.DeleteFolder folder, True
fso.CreateFolder folder

Set media = CreateObject("OpenFsi.ImageFileMedia")
media.Open image, True
Expect media.IsBlank, True, "IsBlank before session 1"
expectedFiles = 0

For session = 1 To 3
    source = folder & "\s" & session
    fso.CreateFolder source
    fso.CreateFolder source & "\part" & session
    WriteText source & "\part" & session & "\data.txt", String(3000 * session, "v")
    If session = 1 Then WriteText source & "\removed.txt", "removed in session 2"

    Set fsi = CreateObject("IMAPI2FS.MsftFileSystemImage")
    fsi.ChooseImageDefaults media.Recorder
    fsi.FileSystemsToCreate = FsiFileSystemUDF
    fsi.UDFRevision = &H201
    fsi.VolumeName = "VBS_RW"
    fsi.MultisessionInterfaces = media.MultisessionInterfaces
    If session > 1 Then
        Expect fsi.ImportFileSystem(), FsiFileSystemUDF, "ImportFileSystem " & session
        Expect fsi.FileCount, expectedFiles, "FileCount after import " & session
        If session = 2 Then
            fsi.Root.Remove "removed.txt"
            expectedFiles = expectedFiles - 1
        End If
    End If
    fsi.Root.AddTree source, False
    expectedFiles = expectedFiles + 1
    If session = 1 Then expectedFiles = expectedFiles + 1

    Set result = fsi.CreateResultImage()
    rangeText = ""
    listed = 0
    count = 0
    For Each range In result.ModifiedBlocks.BlockRanges
        rangeText = rangeText & " " & range.StartLba & "-" & range.EndLba
        listed = listed + range.EndLba - range.StartLba + 1
        count = count + 1
    Next
    media.Write result.ImageStream
    WScript.Echo "session " & session & ": ModifiedBlocks" & rangeText & " (" & listed & _
                 " sectors in " & count & " ranges of " & result.TotalBlocks & ")"
    Expect media.SectorsWritten, listed, "SectorsWritten of session " & session
    Expect fso.GetFile(image).Size, result.TotalBlocks * 2048, "the file's size"
    If session > 1 And listed >= result.TotalBlocks - 100 Then Fail "nearly the whole image was rewritten"

    Set check = CreateObject("IMAPI2FS.MsftFileSystemImage")
    check.MultisessionInterfaces = media.MultisessionInterfaces
    Expect check.ImportFileSystem(), FsiFileSystemUDF, "ImportFileSystem of the check"
    Expect check.FileCount, expectedFiles, "FileCount after session " & session
    Expect check.Exists("\part" & session & "\data.txt"), FsiItemFile, "data.txt of session " & session
    Expect check.Root.Item("part" & session & "\data.txt").DataSize32BitLow, 3000 * session, _
           "size of data.txt of session " & session
    If session = 1 Then
        Expect check.Exists("\removed.txt"), FsiItemFile, "removed.txt before its removal"
    Else
        Expect check.Exists("\removed.txt"), FsiItemNotFound, "removed.txt"
        Expect check.Exists("\part1"), FsiItemDirectory, "part1 kept"
    End If
    Expect check.ImportedVolumeName, "VBS_RW", "ImportedVolumeName"
Next
media.Close
fso.DeleteFolder folder, True
fso.DeleteFile image
' A stream the script still holds may keep a file open: then the folder stays.
On Error Resume Next
fso.DeleteFolder temp, True
On Error GoTo 0
WScript.Echo "OPENFSI SCRIPT PASSED"
