// A JScript that builds an ISO 9660 + Joliet + UDF 2.50 bridge image through IMAPI2FS, as a
// script for Microsoft's imapi2fs.dll would: FileSystemsToCreate = 7, UDFRevision = 0x250,
// AddTree a folder, mark a file real-time, ask items for their UDF names, and write the image
// stream to a file with openfsi's OpenFsi.StreamWriter. Run by check-udf-image-script.sh, which
// then has udfinfo and 7-Zip's UDF reader check the file against the folder.
//   cscript build_udf_image.js SOURCE_FOLDER OUTPUT.iso VOLUME FILES DIRECTORIES
var FsiFileSystemISO9660 = 1, FsiFileSystemJoliet = 2, FsiFileSystemUDF = 4;
var source = WScript.Arguments(0), output = WScript.Arguments(1), volume = WScript.Arguments(2);
var hostFiles = parseInt(WScript.Arguments(3), 10), hostDirs = parseInt(WScript.Arguments(4), 10);

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}
function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.FreeMediaBlocks = 0;
image.VolumeName = volume;
image.FileSystemsToCreate = FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF;
image.UDFRevision = 0x250;
expect(image.FileSystemsToCreate, 7, "FileSystemsToCreate");
expect(image.UDFRevision, 0x250, "UDFRevision");
expect(image.CreateRedundantUdfMetadataFiles, true, "CreateRedundantUdfMetadataFiles default");
expect(image.VolumeNameUDF, volume, "VolumeNameUDF");
var revisions = new VBArray(image.UDFRevisionsSupported).toArray(), found = false;
for (var i = 0; i < revisions.length; i++)
    found = found || revisions[i] === 0x250;
if (!found)
    fail("0x250 is not in UDFRevisionsSupported");

image.Root.AddTree(source, false);
expect(image.FileCount, hostFiles, "FileCount");
expect(image.DirectoryCount, hostDirs, "DirectoryCount");

// UDF records an item's own name; one too long for its 255 bytes is shortened to "prefix#XXXX".
var hello = image.Root.Item("hello.txt");
expect(hello.FileSystemName(FsiFileSystemUDF), "hello.txt", "UDF name of hello.txt");
expect(image.Root.Item("sub dir\\deeper\\zero.txt").FileSystemPath(FsiFileSystemUDF),
       "\\sub dir\\deeper\\zero.txt", "UDF path of zero.txt");
var longName = "";
while (longName.length < 255)
    longName += "x";
var udfName = image.CreateFileItem(longName).FileSystemName(FsiFileSystemUDF);
expect(udfName.length, 254, "length of a 255-character name in UDF");
expect(udfName.substr(0, 250), longName.substr(0, 249) + "#", "shortened UDF name");

// UDF 2.01 and later record real-time files; the flag reads back.
hello.IsRealTime = true;
expect(image.Root.Item("hello.txt").IsRealTime, true, "IsRealTime");

var result = image.CreateResultImage();
expect(image.UsedBlocks, result.TotalBlocks, "UsedBlocks against TotalBlocks");
var blocks = 0, mirrors = 0, next = 0;
for (var p = new Enumerator(result.ProgressItems); !p.atEnd(); p.moveNext()) {
    var progress = p.item();
    expect(progress.FirstBlock, next, "first block of " + progress.Description);
    next = progress.LastBlock + 1;
    blocks += progress.BlockCount;
    if (progress.Description === "UDF metadata mirror")
        mirrors++;
}
expect(blocks, result.TotalBlocks, "sectors of all progress items");
expect(mirrors, 1, "progress items for the UDF metadata mirror");

var writer = new ActiveXObject("OpenFsi.StreamWriter");
writer.WriteToFile(result.ImageStream, output);
var fso = new ActiveXObject("Scripting.FileSystemObject");
expect(fso.GetFile(output).Size, result.TotalBlocks * result.BlockSize, "size of the written image");

WScript.Echo("built " + output + ": " + hostFiles + " files, " + hostDirs + " directories, " +
             result.TotalBlocks + " sectors, UDF 2.50 bridge");
WScript.Echo("OPENFSI SCRIPT PASSED");
