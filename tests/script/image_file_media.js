// JScript under Wine's cscript: OpenFsi.ImageFileMedia (an openfsi extension) as write-once
// media for the whole multisession flow, with the ISO 9660 + Joliet + UDF bridge. Session 1: a folder added with AddTree, a file with
// AddFile from an ADODB.Stream (or another IStream where ADO is missing), written with media.Write(result.ImageStream). Session 2: a fresh
// MsftFileSystemImage takes media.MultisessionInterfaces, imports the session, gets a second
// folder (whose a.txt replaces the old one), loses a file, and is written after the first. A
// third image object then imports the file again and checks FileCount, Exists and sizes.
// Usage: image_file_media.js [IMAGE FOLDER1 FOLDER2] (without arguments it makes its own
// folders; tests/tool/test_image_file_media.sh passes them and checks IMAGE with other readers).
// Any mismatch ends the script with exit code 1.
var IMAPI_E_IMPORT_SEEK_FAILURE = 0xC0AAB156;
var FsiItemFile = 2, FsiItemDirectory = 1, FsiItemNotFound = 0;

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}

function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

function hresult(e) {
    return e.number < 0 ? e.number + 0x100000000 : e.number;
}

var fso = new ActiveXObject("Scripting.FileSystemObject");
// A folder of this run's own: the 64- and 32-bit runs of this script may overlap in one prefix.
var temp = fso.GetSpecialFolder(2).Path + "\\" + fso.GetTempName();
fso.CreateFolder(temp);
var image, first, second, own = WScript.Arguments.length < 3;

function writeText(path, text) {
    var file = fso.CreateTextFile(path, true);
    file.Write(text);
    file.Close();
}

if (own) {
    image = temp + "\\openfsi_media_js.iso";
    first = temp + "\\openfsi_media_js_1";
    second = temp + "\\openfsi_media_js_2";
    if (fso.FolderExists(first)) fso.DeleteFolder(first, true);
    if (fso.FolderExists(second)) fso.DeleteFolder(second, true);
    fso.CreateFolder(first);
    fso.CreateFolder(first + "\\docs");
    fso.CreateFolder(second);
    fso.CreateFolder(second + "\\docs");
    fso.CreateFolder(second + "\\docs\\new");
    writeText(first + "\\a.txt", "first a\r\n");
    writeText(first + "\\old.txt", "to be removed\r\n");
    var big = [];
    for (var i = 0; i < 40000; i++)
        big.push("line " + i + " of b.txt, kept from session 1\r\n");
    writeText(first + "\\docs\\b.txt", big.join(""));
    writeText(second + "\\a.txt", "second a, longer than the first\r\n");
    writeText(second + "\\docs\\new\\c.txt", "new in session 2\r\n");
} else {
    image = WScript.Arguments(0);
    first = WScript.Arguments(1);
    second = WScript.Arguments(2);
}
if (fso.FileExists(image))
    fso.DeleteFile(image);

// A stream with known text, for AddFile: an ADODB.Stream where the prefix has ADO (Wine's
// msado15 is not registered in every prefix), else the IStream of MsftIsoImageManager over a
// file with that text (the way named_streams.js gets one).
var text = "added with AddFile from a stream\r\n";
var stream;
try {
    stream = new ActiveXObject("ADODB.Stream");
    stream.Type = 2;            // adTypeText
    stream.Charset = "us-ascii";
    stream.Open();
    stream.WriteText(text);
    stream.Position = 0;
    WScript.Echo("AddFile from an ADODB.Stream");
} catch (e) {
    var textFile = temp + "\\openfsi_media_js_extra.txt";
    writeText(textFile, text);
    var manager = new ActiveXObject("IMAPI2FS.MsftIsoImageManager");
    manager.SetPath(textFile);
    stream = manager.Stream;
    WScript.Echo("AddFile from MsftIsoImageManager.Stream (no ADODB.Stream here)");
}

var media = new ActiveXObject("OpenFsi.ImageFileMedia");
media.Open(image, false);
expect(media.IsBlank, true, "IsBlank before session 1");
expect(media.NextWritableAddress, 0, "NextWritableAddress before session 1");

// Session 1. Blank write-once media cannot be imported from.
var fsi = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
try {
    fsi.MultisessionInterfaces = media.MultisessionInterfaces;
    fail("MultisessionInterfaces on blank media succeeded");
} catch (e) {
    expect(hresult(e), IMAPI_E_IMPORT_SEEK_FAILURE, "MultisessionInterfaces on blank media");
}
fsi.ChooseImageDefaults(media.Recorder);        // DVD+R
fsi.FileSystemsToCreate = 7;                    // the bridge: ISO 9660 + Joliet + UDF
fsi.VolumeName = "MEDIA";
fsi.Root.AddTree(first, false);
fsi.Root.AddFile("extra.txt", stream);
var result = fsi.CreateResultImage();
media.Write(result.ImageStream);
expect(media.SectorsWritten, result.TotalBlocks, "SectorsWritten of session 1");
expect(media.NextWritableAddress, result.TotalBlocks, "NextWritableAddress after session 1");
expect(media.IsBlank, false, "IsBlank after session 1");
var firstEnd = media.NextWritableAddress;
WScript.Echo("session 1 ends at " + firstEnd);

// Session 2.
fsi = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
fsi.MultisessionInterfaces = media.MultisessionInterfaces;
expect(fsi.ImportFileSystem(), 4, "ImportFileSystem (UDF, the richest)");
expect(fsi.SessionStartBlock, firstEnd, "SessionStartBlock");
expect(fsi.FileCount, 4, "FileCount after import");
fsi.VolumeName = "MEDIA";
fsi.Root.Remove("old.txt");
fsi.Root.AddTree(second, false);                // its a.txt prevails over the imported one
result = fsi.CreateResultImage();
media.Write(result.ImageStream);
expect(media.NextWritableAddress, firstEnd + result.TotalBlocks, "NextWritableAddress after 2");
// b.txt is pointed at where it lies, not copied: the session is far smaller than it.
if (media.SectorsWritten * 2048 >= fso.GetFile(first + "\\docs\\b.txt").Size)
    fail("session 2 (" + media.SectorsWritten + " sectors) copied b.txt");
media.Close();

// A fresh import of the file, opened again.
media = new ActiveXObject("OpenFsi.ImageFileMedia");
media.Open(image, false);
expect(media.NextWritableAddress * 2048, fso.GetFile(image).Size, "the file's size");
var check = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
check.MultisessionInterfaces = media.MultisessionInterfaces;
check.ImportFileSystem();
expect(check.FileCount, 4, "FileCount");
expect(check.DirectoryCount, 2, "DirectoryCount");
expect(check.Exists("\\old.txt"), FsiItemNotFound, "old.txt removed");
expect(check.Exists("\\docs\\new"), FsiItemDirectory, "docs\\new");
var sizes = {
    "\\a.txt": fso.GetFile(second + "\\a.txt").Size,
    "\\extra.txt": text.length,
    "\\docs\\b.txt": fso.GetFile(first + "\\docs\\b.txt").Size,
    "\\docs\\new\\c.txt": fso.GetFile(second + "\\docs\\new\\c.txt").Size
};
for (var path in sizes) {
    expect(check.Exists(path), FsiItemFile, "Exists " + path);
    expect(check.Root.Item(path.substring(1)).DataSize32BitLow, sizes[path], "size of " + path);
}
expect(check.ImportedVolumeName, "MEDIA", "ImportedVolumeName");
media.Close();
if (own) {
    fso.DeleteFile(image);
    fso.DeleteFolder(first, true);
    fso.DeleteFolder(second, true);
}
try {
    fso.DeleteFolder(temp, true);
} catch (e) {
    // A stream the script still holds (MsftIsoImageManager's) keeps its file open: the folder
    // stays in the prefix's temporary folder.
}
WScript.Echo("OPENFSI SCRIPT PASSED");
