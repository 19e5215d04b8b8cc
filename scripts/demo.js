// The openfsi demonstration: drive IMAPI2FS.MsftFileSystemImage from JScript the way scripts do
// on Windows, and show what the DLL can do at this stage of the project.
var FsiFileSystemISO9660 = 1, FsiFileSystemJoliet = 2, FsiFileSystemUDF = 4;

function describe(systems) {
    var names = [];
    if (systems & FsiFileSystemISO9660) names.push("ISO 9660");
    if (systems & FsiFileSystemJoliet) names.push("Joliet");
    if (systems & FsiFileSystemUDF) names.push("UDF");
    return names.join(", ");
}

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.VolumeName = "OPENFSI_DEMO";
WScript.Echo("Volume name:            " + image.VolumeName);
WScript.Echo("File systems supported: " + describe(image.FileSystemsSupported));

try {
    image.CreateResultImage();
    WScript.Echo("Result image created.");
} catch (e) {
    WScript.Echo("CreateResultImage:      0x" + (e.number >>> 0).toString(16).toUpperCase() +
                 " " + e.description);
}
try {
    image.VolumeName = "A volume name that is far too long for any disc";
} catch (e) {
    WScript.Echo("A 47-character label:   0x" + (e.number >>> 0).toString(16).toUpperCase() +
                 " " + e.description);
}
WScript.Echo("demo finished");
