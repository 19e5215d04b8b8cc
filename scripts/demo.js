// The openfsi demonstration: build a disc image from JScript with IMAPI2FS.MsftFileSystemImage,
// the way scripts do it on Windows with Microsoft's imapi2fs.dll, and write it to a file with
// openfsi's OpenFsi.StreamWriter.   cscript demo.js SOURCE_FOLDER OUTPUT.iso
var source = WScript.Arguments(0), output = WScript.Arguments(1);
var FsiFileSystemISO9660 = 1, FsiFileSystemJoliet = 2, FsiFileSystemUDF = 4;

function describe(systems) {
    var names = [];
    if (systems & FsiFileSystemISO9660) names.push("ISO 9660");
    if (systems & FsiFileSystemJoliet) names.push("Joliet");
    if (systems & FsiFileSystemUDF) names.push("UDF");
    return names.join(", ");
}
function hex(number) {
    return "0x" + (number >>> 0).toString(16).toUpperCase();
}

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.ChooseImageDefaultsForMediaType(6);      // IMAPI_MEDIA_TYPE_DVDPLUSR: a 4.7 GB DVD+R
image.VolumeName = "OPENFSI DEMO";
WScript.Echo("Volume name:          " + image.VolumeName + " (ISO 9660: " +
             image.VolumeNameISO9660 + ")");
WScript.Echo("File systems:         " + describe(image.FileSystemsToCreate) + " (supported: " +
             describe(image.FileSystemsSupported) + "); room for " + image.FreeMediaBlocks +
             " sectors; UDF revision " + hex(image.UDFRevision));

// Progress while files are added (WSH's WScript.ConnectObject on Windows; Wine's cscript
// lacks it, so openfsi's connector stands in).
var connector = new ActiveXObject("OpenFsi.EventConnector");
var added = 0;
function fsi_Update(object, file, copied, total) {
    if (copied === 0)
        added++;
}
try {
    WScript.ConnectObject(image, "fsi_");
} catch (e) {
    connector.ConnectObject(image, this, "fsi_");
}

image.Root.AddTree(source, false);
WScript.Echo("Added:                " + image.FileCount + " files in " + image.DirectoryCount +
             " directories (" + added + " Update events)");
for (var e = new Enumerator(image.Root); !e.atEnd(); e.moveNext())
    WScript.Echo("  " + e.item().FullPath + "  ->  ISO 9660 " +
                 e.item().FileSystemName(FsiFileSystemISO9660) + ", UDF " +
                 e.item().FileSystemName(FsiFileSystemUDF));

var result = image.CreateResultImage();
WScript.Echo("Result:               " + result.TotalBlocks + " sectors of " + result.BlockSize +
             " bytes; progress items:");
for (var p = new Enumerator(result.ProgressItems); !p.atEnd(); p.moveNext())
    WScript.Echo("  sectors " + p.item().FirstBlock + "-" + p.item().LastBlock + "  " +
                 p.item().Description);

var writer = new ActiveXObject("OpenFsi.StreamWriter");
writer.WriteToFile(result.ImageStream, output);
WScript.Echo("Written:              " + output + " (" + writer.BytesWritten + " bytes)");

// What comes with later work answers with Microsoft's error and a readable message.
try {
    image.ImportFileSystem();
} catch (e) {
    WScript.Echo("Appending a session:  " + hex(e.number) + " " + e.description);
}
try {
    image.VolumeName = "A volume name that is far too long for any disc";
} catch (e) {
    WScript.Echo("A 47-character label: " + hex(e.number) + " " + e.description);
}
WScript.Echo("demo finished");
