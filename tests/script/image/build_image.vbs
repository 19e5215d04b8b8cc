' A VBScript that builds a disc image as scripts in the wild do with Microsoft's imapi2fs.dll:
' AddTree a folder, walk Root with For Each, read FileCount, DirectoryCount and ProgressItems,
' catch a failure through Err.Number, receive Update events, and write the image stream to a
' file with openfsi's OpenFsi.StreamWriter. Run by check-image-script.sh, which then has
' independent readers check the file.
'   cscript build_image.vbs SOURCE_FOLDER OUTPUT.iso VOLUME FILES DIRECTORIES
Option Explicit
Const IMAPI_E_DUP_NAME = &HC0AAB112
Const IMAPI_E_INVALID_PATH = &HC0AAB110

Dim source, output, volume
source = WScript.Arguments(0)
output = WScript.Arguments(1)
volume = WScript.Arguments(2)

Sub Fail(message)
    WScript.Echo "FAIL: " & message
    WScript.Quit 1
End Sub

Sub Expect(actual, expected, what)
    If actual <> expected Then Fail what & ": expected " & expected & ", got " & actual
End Sub

' Event handlers: objects whose methods are named after the events.
Class ImageEvents
    Public Count
    Public LastFile
    Public Sub Update(object, currentFile, copiedSectors, totalSectors)
        Count = Count + 1
        LastFile = currentFile
    End Sub
End Class

Class WriterEvents
    Public Copied
    Public Sub Update(object, copiedSectors, totalSectors)
        Copied = copiedSectors
    End Sub
End Class

' What the folder holds, counted on the host by the test (find), not by openfsi.
Dim fso, hostFiles, hostDirs
Set fso = CreateObject("Scripting.FileSystemObject")
hostFiles = CLng(WScript.Arguments(3))
hostDirs = CLng(WScript.Arguments(4))

Dim image, connector, imageEvents
Set image = CreateObject("IMAPI2FS.MsftFileSystemImage")
image.FreeMediaBlocks = 0
image.VolumeName = volume
Set connector = CreateObject("OpenFsi.EventConnector")
Set imageEvents = New ImageEvents
imageEvents.Count = 0
connector.ConnectObject image, imageEvents, ""

image.Root.AddTree source, True
' includeBaseDirectory: the folder itself is one more directory.
Expect image.FileCount, hostFiles, "FileCount"
Expect image.DirectoryCount, hostDirs + 1, "DirectoryCount"
If imageEvents.Count < hostFiles Then Fail "only " & imageEvents.Count & " Update events"

Dim walkedFiles, walkedDirs
walkedFiles = 0
walkedDirs = 0
Sub Walk(dir)
    Dim item
    For Each item In dir
        If image.Exists(item.FullPath) = 1 Then
            walkedDirs = walkedDirs + 1
            Walk item
        Else
            walkedFiles = walkedFiles + 1
            If item.DataSize32BitHigh <> 0 Then Fail "unexpected size of " & item.FullPath
        End If
    Next
End Sub
Walk image.Root
Expect walkedFiles, hostFiles, "files found walking Root"
Expect walkedDirs, hostDirs + 1, "directories found walking Root"

' A failure: Err.Number carries Microsoft's value.
' AddTree with the base folder made a directory named after it: adding it again must fail.
Dim baseName
baseName = fso.GetFolder(source).Name
If image.Exists("\" & baseName) <> 1 Then Fail "no directory \" & baseName & " in the image"
On Error Resume Next
image.Root.AddDirectory baseName
Expect Err.Number, IMAPI_E_DUP_NAME, "Err.Number of AddDirectory of an existing name"
Err.Clear
image.Root.AddDirectory "bad|name"
Expect Err.Number, IMAPI_E_INVALID_PATH, "Err.Number of a bad name"
If Len(Err.Description) < 10 Then Fail "no description with the error"
Err.Clear
On Error GoTo 0

Dim result, progress, blocks
Set result = image.CreateResultImage()
blocks = 0
For Each progress In result.ProgressItems
    ' BlockCount is a ULONG (VT_UI4), which VBScript does not compute with: CLng first.
    blocks = blocks + CLng(progress.BlockCount)
Next
Expect blocks, result.TotalBlocks, "sectors of all progress items"

Dim writer, writerEvents
Set writer = CreateObject("OpenFsi.StreamWriter")
Set writerEvents = New WriterEvents
writerEvents.Copied = 0
connector.ConnectObject writer, writerEvents, ""
writer.WriteToFile result.ImageStream, output
Expect writerEvents.Copied, result.TotalBlocks, "sectors reported written"
Expect fso.GetFile(output).Size, result.TotalBlocks * result.BlockSize, "size of the image file"

WScript.Echo "built " & output & ": " & hostFiles & " files, " & result.TotalBlocks & " sectors"
WScript.Echo "OPENFSI SCRIPT PASSED"
