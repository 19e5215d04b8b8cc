// JScript under Wine's cscript: OpenFsi.ImageFileMedia as rewritable media (DVD+RW) for the
// whole flow with the UDF bridge (ISO 9660 + Joliet + UDF), three sessions. Session 1 is written
// whole; sessions 2 and 3 import the disc, add, remove and replace files, and media.Write writes
// only the result's ModifiedBlocks (the ImageStream answers IBlockRangeList), which the script
// prints. After each session a fresh image imports the file again and checks FileCount, Exists
// and sizes; the file must be exactly as long as the result image.
// Usage: rewritable_media.js [IMAGE] (tests/tool/test_rewritable_media.sh passes IMAGE and then
// has other readers check it).
var IMAPI_E_EMPTY_DISC = 0xC0AAB150;
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
var own = WScript.Arguments.length < 1;
var image = own ? temp + "\\openfsi_rewritable_js.iso" : WScript.Arguments(0);
var folder = temp + "\\openfsi_rewritable_js";
if (fso.FileExists(image))
    fso.DeleteFile(image);
if (fso.FolderExists(folder))
    fso.DeleteFolder(folder, true);
fso.CreateFolder(folder);

function writeText(path, text) {
    var file = fso.CreateTextFile(path, true);
    file.Write(text);
    file.Close();
}

// Session n's folder: files named after the session, one of them replacing an older one.
function sessionFolder(n) {
    var path = folder + "\\s" + n;
    fso.CreateFolder(path);
    fso.CreateFolder(path + "\\docs");
    writeText(path + "\\docs\\note" + n + ".txt", "note of session " + n + "\r\n");
    writeText(path + "\\shared.txt", "shared.txt as session " + n + " wrote it\r\n");
    if (n == 1) {
        var big = [];
        for (var i = 0; i < 4000; i++)
            big.push("line " + i + " of big.txt, kept from session 1\r\n");
        writeText(path + "\\big.txt", big.join(""));
        writeText(path + "\\gone.txt", "removed in session 2\r\n");
    }
    return path;
}

// The ranges of a result, as "first-last" strings, and their sectors.
function ranges(result) {
    var list = new VBArray(result.ModifiedBlocks.BlockRanges).toArray();
    var text = [], sectors = 0;
    for (var i = 0; i < list.length; i++) {
        text.push(list[i].StartLba + "-" + list[i].EndLba);
        sectors += list[i].EndLba - list[i].StartLba + 1;
    }
    return { text: text.join(" "), sectors: sectors, count: list.length };
}

var media = new ActiveXObject("OpenFsi.ImageFileMedia");
media.Open(image, true);
expect(media.IsBlank, true, "IsBlank before session 1");

var expected = { files: {}, count: 0 };
function expectFile(path, size) {
    if (!(path in expected.files))
        expected.count++;
    expected.files[path] = size;
}
function forgetFile(path) {
    if (path in expected.files) {
        delete expected.files[path];
        expected.count--;
    }
}

for (var session = 1; session <= 3; session++) {
    var source = sessionFolder(session);
    var fsi = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
    fsi.ChooseImageDefaults(media.Recorder);        // DVD+RW
    fsi.FileSystemsToCreate = 7;                    // ISO 9660 + Joliet + UDF
    fsi.VolumeName = "REWRITE";
    // Rewritable media take MultisessionInterfaces even when blank; a blank disc has nothing to
    // import.
    fsi.MultisessionInterfaces = media.MultisessionInterfaces;
    if (session == 1) {
        try {
            fsi.ImportFileSystem();
            fail("ImportFileSystem on blank media succeeded");
        } catch (e) {
            expect(hresult(e), IMAPI_E_EMPTY_DISC, "ImportFileSystem on blank media");
        }
    } else {
        expect(fsi.ImportFileSystem(), 4, "ImportFileSystem (UDF)");
        expect(fsi.FileCount, expected.count, "FileCount after import " + session);
        if (session == 2) {
            fsi.Root.Remove("gone.txt");
            forgetFile("\\gone.txt");
        }
        fsi.Root.Remove("shared.txt");              // replaced by the new session's
    }
    fsi.Root.AddTree(source, false);
    expectFile("\\shared.txt", fso.GetFile(source + "\\shared.txt").Size);
    expectFile("\\docs\\note" + session + ".txt",
               fso.GetFile(source + "\\docs\\note" + session + ".txt").Size);
    if (session == 1) {
        expectFile("\\big.txt", fso.GetFile(source + "\\big.txt").Size);
        expectFile("\\gone.txt", fso.GetFile(source + "\\gone.txt").Size);
    }
    var result = fsi.CreateResultImage();
    var listed = ranges(result);
    media.Write(result.ImageStream);
    WScript.Echo("session " + session + ": ModifiedBlocks " + listed.text + " (" + listed.sectors +
                 " sectors in " + listed.count + " ranges of " + result.TotalBlocks + ")");
    expect(media.SectorsWritten, listed.sectors, "SectorsWritten of session " + session);
    // The old sessions' sectors stay: only a part of the image is written.
    if (session > 1 && listed.sectors >= result.TotalBlocks - 100)
        fail("session " + session + " rewrote nearly the whole image");
    expect(fso.GetFile(image).Size, result.TotalBlocks * 2048, "the file's size");

    // What a fresh import finds.
    var check = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
    check.MultisessionInterfaces = media.MultisessionInterfaces;
    expect(check.ImportFileSystem(), 4, "ImportFileSystem of the check " + session);
    expect(check.FileCount, expected.count, "FileCount after session " + session);
    expect(check.Exists("\\docs"), FsiItemDirectory, "docs");
    expect(check.Exists("\\gone.txt"), session == 1 ? FsiItemFile : FsiItemNotFound, "gone.txt");
    for (var path in expected.files) {
        expect(check.Exists(path), FsiItemFile, "Exists " + path + " after session " + session);
        expect(check.Root.Item(path.substring(1)).DataSize32BitLow, expected.files[path],
               "size of " + path + " after session " + session);
    }
    expect(check.ImportedVolumeName, "REWRITE", "ImportedVolumeName");
}
media.Close();
fso.DeleteFolder(folder, true);
if (own)
    fso.DeleteFile(image);
try {
    fso.DeleteFolder(temp, true);
} catch (e) {
    // A stream the script still holds (MsftIsoImageManager's) keeps its file open: the folder
    // stays in the prefix's temporary folder.
}
WScript.Echo("OPENFSI SCRIPT PASSED");
