// JScript under Wine's cscript: openfsi's extensions for scripts. An IStream from
// MsftIsoImageManager (SetPath on a file this script writes, then .Stream) is written to another
// file with OpenFsi.StreamWriter; Update events arrive through OpenFsi.EventConnector, which
// calls the global functions named "w_" + event name (`this` is the global object); a failure
// arrives as an exception with its HRESULT. Any mismatch ends the script with exit code 1.
var E_INVALIDARG = 0x80070057;
var HRESULT_PATH_NOT_FOUND = 0x80070003;   // HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)
var MIB = 1024 * 1024;

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}

function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

var fso = new ActiveXObject("Scripting.FileSystemObject");
// A folder of this run's own: the 64- and 32-bit runs of this script may overlap in one prefix.
var dir = fso.GetSpecialFolder(2).Path + "\\" + fso.GetTempName();
fso.CreateFolder(dir);
var source = dir + "\\openfsi_js_source.bin", target = dir + "\\openfsi_js_target.bin";

// 10 MiB of text with a line number every 64 bytes, so any shifted byte shows.
var line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU";
var chunk = [];
for (var i = 0; i < 1024; i++)
    chunk.push(("00000" + i).slice(-5) + line + "\r\n");
chunk = chunk.join("");                       // 64 KiB
var content = [];
for (var k = 0; k < 160; k++)
    content.push(chunk);
content = content.join("");                   // 10 MiB
var file = fso.CreateTextFile(source, true);
file.Write(content);
file.Close();
expect(fso.GetFile(source).Size, 10 * MIB, "source size");

var updates = 0, lastCopied = -1, lastTotal = -1, lastObject = null;
function w_Update(object, copiedSectors, totalSectors) {
    updates++;
    lastCopied = copiedSectors;
    lastTotal = totalSectors;
    lastObject = object;
}

var manager = new ActiveXObject("IMAPI2FS.MsftIsoImageManager");
manager.SetPath(source);
var writer = new ActiveXObject("OpenFsi.StreamWriter");
var connector = new ActiveXObject("OpenFsi.EventConnector");
connector.ConnectObject(writer, this, "w_");

if (fso.FileExists(target))
    fso.DeleteFile(target);
writer.WriteToFile(manager.Stream, target);
expect(writer.BytesWritten, 10 * MIB, "BytesWritten");
expect(fso.GetFile(target).Size, 10 * MIB, "target size");
var reader = fso.OpenTextFile(target, 1);
var copy = reader.ReadAll();
reader.Close();
if (copy !== content)
    fail("the written file differs from the source");
expect(updates, 2, "Update events (at 8 MiB and at the end)");
expect(lastCopied, 10 * MIB / 2048, "copiedSectors at the end");
expect(lastTotal, 10 * MIB / 2048, "totalSectors at the end");
expect(lastObject.BytesWritten, 10 * MIB, "the event's object is the writer");

// The stream is at its end now: writing it again makes an empty file.
var stream = manager.Stream;
writer.WriteToFile(stream, target);
expect(fso.GetFile(target).Size, 0, "size after writing a stream at its end");

// Failures: a missing directory, and an argument that is not a stream.
var caught = false;
manager.SetPath(source);
try {
    writer.WriteToFile(manager.Stream, dir + "\\openfsi_no_such_dir\\out.bin");
} catch (e) {
    caught = true;
    expect(e.number >>> 0, HRESULT_PATH_NOT_FOUND, "error number for a missing directory");
    if (!e.description || e.description.indexOf("openfsi_no_such_dir") < 0)
        fail("error description: " + e.description);
}
if (!caught)
    fail("writing into a missing directory succeeded");

caught = false;
try {
    writer.WriteToFile(manager, target);
} catch (e) {
    caught = true;
    expect(e.number >>> 0, E_INVALIDARG, "error number for a non-stream argument");
}
if (!caught)
    fail("an object that is not a stream was accepted");

// After DisconnectObject no more events arrive.
connector.DisconnectObject(writer);
updates = 0;
manager.SetPath(source);
writer.WriteToFile(manager.Stream, target);
expect(updates, 0, "Update events after DisconnectObject");

// The source stays: the image manager holds it open until the script ends (the prefix is
// private to the test run).
fso.DeleteFile(target);
WScript.Echo("OPENFSI SCRIPT PASSED");
