// JScript under Wine's cscript: named streams as a script uses them. A script's IStream comes
// from MsftIsoImageManager (SetPath on a file this script writes, then .Stream; ADODB.Stream is
// not usable in the test prefix). AddStream with documented failures as exceptions, the file's
// FsiNamedStreams walked with Enumerator, Item and the default member, a live Count, the stream
// items' properties, RemoveStream, and the image: its bytes hold a stream's data with UDF 2.01
// and not with UDF 1.50, which records no streams. Any mismatch ends the script with exit code 1.
var IMAPI_E_INVALID_PARAM = 0xC0AAB101;
var IMAPI_E_NOT_IN_FILE_SYSTEM = 0xC0AAB10B;
var IMAPI_E_DUP_NAME = 0xC0AAB112;
var IMAPI_E_ITEM_NOT_FOUND = 0xC0AAB118;
var IMAPI_E_PROPERTY_NOT_ACCESSIBLE = 0xC0AAB160;
var FsiFileSystemUDF = 4;

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}

function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

// Runs `action`, which must throw the HRESULT `number`.
function expectError(action, number, what) {
    try {
        action();
    } catch (e) {
        expect(e.number >>> 0, number, what + " (error number)");
        if (!e.description)
            fail(what + ": the error has no description");
        return e;
    }
    fail(what + ": no error");
}

var fso = new ActiveXObject("Scripting.FileSystemObject");
// A folder of this run's own: the 64- and 32-bit runs of this script may overlap in one prefix.
var dir = fso.GetSpecialFolder(2).Path + "\\" + fso.GetTempName();
fso.CreateFolder(dir);

function writeFile(name, text) {
    var path = dir + "\\" + name;
    var file = fso.CreateTextFile(path, true);
    file.Write(text);
    file.Close();
    return path;
}

function streamOf(path) {
    var manager = new ActiveXObject("IMAPI2FS.MsftIsoImageManager");
    manager.SetPath(path);
    return manager.Stream;
}

var zoneText = "[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=openfsi-script-test\r\n";
var mainPath = writeFile("openfsi_js_main.txt", "the file's own data\r\n");
var zonePath = writeFile("openfsi_js_zone.txt", zoneText);
var extraPath = writeFile("openfsi_js_extra.txt", "x");

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.FileSystemsToCreate = FsiFileSystemUDF;
image.UDFRevision = 0x201;
var root = image.Root;
root.AddDirectory("docs");
root.AddFile("docs\\a.txt", streamOf(mainPath));
var file = root.Item("docs\\a.txt");
expect(file.IsNamedStream, false, "IsNamedStream of a file");

var streams = file.FsiNamedStreams;
expect(streams.Count, 0, "Count before AddStream");
file.AddStream("Zone.Identifier", streamOf(zonePath));
file.AddStream("extra", streamOf(extraPath));
expect(streams.Count, 2, "Count of the collection taken before (a live view)");
expect(file.FsiNamedStreams.Count, 2, "Count");

expectError(function () { file.AddStream("ZONE.IDENTIFIER", streamOf(zonePath)); },
            IMAPI_E_DUP_NAME, "a duplicate name in another case");
expectError(function () { file.AddStream("a:b", streamOf(zonePath)); },
            IMAPI_E_INVALID_PARAM, "a name with ':'");
var loose = image.CreateFileItem("loose.txt");
expectError(function () { loose.AddStream("s", streamOf(zonePath)); },
            IMAPI_E_NOT_IN_FILE_SYSTEM, "a file not in the image");

// For Each as JScript writes it.
var names = [], sizes = [];
for (var e = new Enumerator(file.FsiNamedStreams); !e.atEnd(); e.moveNext()) {
    var stream = e.item();
    expect(stream.IsNamedStream, true, "IsNamedStream of " + stream.Name);
    expect(stream.FullPath, "\\docs\\a.txt:" + stream.Name, "FullPath of " + stream.Name);
    names.push(stream.Name);
    sizes.push(stream.DataSize32BitLow);
}
expect(names.join("|"), "Zone.Identifier|extra", "the streams in the order added");
expect(sizes.join("|"), fso.GetFile(zonePath).Size + "|1", "the streams' sizes");
expect(streams.Item(1).Name, "extra", "Item(1)");
expect(streams(0).Name, "Zone.Identifier", "the default member");
expectError(function () { return streams.Item(2); }, IMAPI_E_INVALID_PARAM, "Item(Count)");

var zone = streams.Item(0);
var err = expectError(function () { return zone.IsRealTime; }, IMAPI_E_PROPERTY_NOT_ACCESSIBLE,
                      "IsRealTime of a stream");
if (err.description.indexOf("named stream") < 0)
    fail("IsRealTime's error description: " + err.description);
expectError(function () { return zone.FsiNamedStreams; }, IMAPI_E_PROPERTY_NOT_ACCESSIBLE,
            "FsiNamedStreams of a stream");
expectError(function () { zone.AddStream("inner", streamOf(extraPath)); },
            IMAPI_E_PROPERTY_NOT_ACCESSIBLE, "AddStream on a stream");

file.RemoveStream("EXTRA");
expect(streams.Count, 1, "Count after RemoveStream");
expectError(function () { file.RemoveStream("extra"); }, IMAPI_E_ITEM_NOT_FOUND,
            "removing a stream that is gone");

// The image: UDF 2.01 records the stream's bytes, UDF 1.50 does not.
function imageText(revision) {
    var target = dir + "\\openfsi_js_streams_" + revision.toString(16) + ".img";
    image.UDFRevision = revision;
    var writer = new ActiveXObject("OpenFsi.StreamWriter");
    writer.WriteToFile(image.CreateResultImage().ImageStream, target);
    var reader = fso.OpenTextFile(target, 1);
    var text = reader.ReadAll();
    reader.Close();
    return text;
}
if (imageText(0x201).indexOf("ReferrerUrl=openfsi-script-test") < 0)
    fail("the UDF 2.01 image does not hold the stream's data");
if (imageText(0x150).indexOf("ReferrerUrl=openfsi-script-test") >= 0)
    fail("the UDF 1.50 image holds the stream's data");

// The source files stay: the image holds their streams while anything holds the image, and
// Wine 8's JScript keeps every Enumerator object (with its IEnumVARIANT, which holds the image)
// until the script ends, CollectGarbage or not; a directory's Enumerator does the same.
fso.DeleteFile(dir + "\\openfsi_js_streams_201.img");
fso.DeleteFile(dir + "\\openfsi_js_streams_150.img");
WScript.Echo("OPENFSI SCRIPT PASSED");
