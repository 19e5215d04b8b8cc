// A JScript that builds a disc image the way scripts in the wild do with Microsoft's
// imapi2fs.dll: AddTree a folder, walk Root with Enumerator, read FileCount, DirectoryCount and
// ProgressItems, catch a failure and check its number, receive Update events, and write the
// image stream to a file with openfsi's OpenFsi.StreamWriter (scripts cannot write an IStream
// themselves). Run by check-image-script.sh, which then has independent readers check the file.
//   cscript build_image.js SOURCE_FOLDER OUTPUT.iso VOLUME FILES DIRECTORIES
var IMAPI_E_DUP_NAME = 0xC0AAB112, IMAPI_E_ITEM_NOT_FOUND = 0xC0AAB118;
var source = WScript.Arguments(0), output = WScript.Arguments(1), volume = WScript.Arguments(2);

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}
function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

// What the folder holds, counted on the host by the test (find), not by openfsi.
var hostFiles = parseInt(WScript.Arguments(3), 10), hostDirs = parseInt(WScript.Arguments(4), 10);
var fso = new ActiveXObject("Scripting.FileSystemObject");

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.FreeMediaBlocks = 0;          // a file, not a 650 MB CD
image.VolumeName = volume;

// Update events: WSH's own ConnectObject where there is one (Windows), openfsi's connector
// where there is not (Wine's cscript answers E_NOTIMPL).
var connector = new ActiveXObject("OpenFsi.EventConnector");
var updates = 0, lastFile = "", lastTotal = -1;
function fsi_Update(object, currentFile, copiedSectors, totalSectors) {
    updates++;
    lastFile = currentFile;
    lastTotal = totalSectors;
    if (copiedSectors > totalSectors)
        fail("Update: copied " + copiedSectors + " of " + totalSectors);
}
try {
    WScript.ConnectObject(image, "fsi_");
} catch (e) {
    connector.ConnectObject(image, this, "fsi_");
}

image.Root.AddTree(source, false);
expect(image.FileCount, hostFiles, "FileCount");
expect(image.DirectoryCount, hostDirs, "DirectoryCount");
if (updates < hostFiles)
    fail("only " + updates + " Update events for " + hostFiles + " files");
if (lastFile.charAt(0) !== "\\")
    fail("Update's currentFile is not a path in the image: " + lastFile);

// Walk the image's tree with Enumerator, as scripts list what they added.
var walkedFiles = 0, walkedDirs = 0;
function walk(dir) {
    for (var e = new Enumerator(dir); !e.atEnd(); e.moveNext()) {
        var item = e.item();
        if (item.FullPath !== dir.FullPath.replace(/\\$/, "") + "\\" + item.Name)
            fail("FullPath " + item.FullPath + " in " + dir.FullPath);
        if (image.Exists(item.FullPath) === 1) {
            walkedDirs++;
            walk(item);
        } else {
            walkedFiles++;
            // DataSize is a 64-bit integer, which Wine 8's JScript cannot take (E_NOTIMPL);
            // scripts use the 32-bit halves, as Microsoft provides them for.
            if (item.DataSize32BitLow < 0 || item.DataSize32BitHigh !== 0)
                fail("size of " + item.FullPath);
        }
    }
}
walk(image.Root);
expect(walkedFiles, hostFiles, "files found walking Root");
expect(walkedDirs, hostDirs, "directories found walking Root");

// A failure arrives as an exception with Microsoft's number.
var first = new Enumerator(image.Root).item();
var caught = 0;
try {
    image.Root.AddDirectory(first.Name);
} catch (e) {
    caught = e.number >>> 0;
}
expect(caught, IMAPI_E_DUP_NAME, "AddDirectory of an existing name");
caught = 0;
try {
    image.Root.Item("no such item");
} catch (e) {
    caught = e.number >>> 0;
}
expect(caught, IMAPI_E_ITEM_NOT_FOUND, "Item of a missing name");

var result = image.CreateResultImage();
var blocks = 0, fileItems = 0;
for (var p = new Enumerator(result.ProgressItems); !p.atEnd(); p.moveNext()) {
    var progress = p.item();
    blocks += progress.BlockCount;
    if (progress.Description.charAt(0) === "\\")
        fileItems++;
}
expect(blocks, result.TotalBlocks, "sectors of all progress items");
if (fileItems < 1 || fileItems > hostFiles)
    fail(fileItems + " progress items for files");

var writer = new ActiveXObject("OpenFsi.StreamWriter");
var written = 0;
function w_Update(object, copiedSectors, totalSectors) {
    written = copiedSectors;
    expect(totalSectors, result.TotalBlocks, "writer's totalSectors");
}
connector.ConnectObject(writer, this, "w_");
writer.WriteToFile(result.ImageStream, output);
expect(written, result.TotalBlocks, "sectors reported written");
expect(fso.GetFile(output).Size, result.TotalBlocks * result.BlockSize, "size of the written image");

WScript.Echo("built " + output + ": " + hostFiles + " files, " + hostDirs + " directories, " +
             result.TotalBlocks + " sectors, " + updates + " Update events");
WScript.Echo("OPENFSI SCRIPT PASSED");
